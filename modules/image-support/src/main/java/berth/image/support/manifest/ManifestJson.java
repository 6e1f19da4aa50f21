package berth.image.support.manifest;

import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The descriptor and platform objects that manifests and indexes share. */
final class ManifestJson {
    private ManifestJson() {
    }

    static Descriptor descriptor(JsonObject o, String what) throws IOException {
        if (o == null) {
            throw new IOException(what + ": missing descriptor");
        }
        String digest = o.str("digest");
        if (!Digests.isValid(digest)) {
            throw new IOException(what + ": invalid digest \"" + digest + "\"");
        }
        long size = o.lng("size", -1);
        JsonObject p = o.obj("platform");
        Platform platform = p == null ? null : new Platform(p.str("os", ""), p.str("architecture", ""), p.str("variant", ""));
        return new Descriptor(o.str("mediaType", ""), digest, size, platform, o.stringMap("annotations"));
    }

    static List<Descriptor> descriptors(JsonObject doc, String key, String what) throws IOException {
        List<Descriptor> out = new ArrayList<>();
        int i = 0;
        for (JsonObject o : doc.objects(key)) {
            out.add(descriptor(o, what + " " + key + "[" + i++ + "]"));
        }
        return List.copyOf(out);
    }
}
