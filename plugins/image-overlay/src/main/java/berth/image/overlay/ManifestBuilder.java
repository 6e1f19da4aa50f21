package berth.image.overlay;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.transport.RawManifest;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a schema 2 image manifest (OCI or Docker v2s2) for an image the store re-exports. */
final class ManifestBuilder {
    private ManifestBuilder() {
    }

    static boolean isDocker(String manifestType) {
        return MediaTypes.DOCKER_MANIFEST.equals(manifestType);
    }

    static String configType(String manifestType) {
        return isDocker(manifestType) ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
    }

    static String layerType(String manifestType, boolean gzip) {
        if (isDocker(manifestType)) {
            return gzip ? MediaTypes.DOCKER_LAYER_GZIP : "application/vnd.docker.image.rootfs.diff.tar";
        }
        return gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER;
    }

    static RawManifest build(String manifestType, Descriptor config, List<Descriptor> layers) {
        JsonObject m = new JsonObject();
        m.put("schemaVersion", 2L);
        m.put("mediaType", manifestType);
        m.put("config", descriptor(config));
        List<Object> ls = new ArrayList<>();
        for (Descriptor d : layers) {
            ls.add(descriptor(d));
        }
        m.put("layers", ls);
        byte[] bytes = Json.writeBytes(m.asMap());
        return new RawManifest(bytes, manifestType, Digests.of(bytes));
    }

    private static Map<String, Object> descriptor(Descriptor d) {
        JsonObject o = new JsonObject();
        o.put("mediaType", d.mediaType());
        o.put("digest", d.digest());
        o.put("size", d.size());
        return o.asMap();
    }
}
