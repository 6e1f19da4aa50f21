package berth.image.support.manifest;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) {
    public ImageIndex {
        manifests = List.copyOf(manifests);
    }

    public static ImageIndex parse(byte[] bytes, String mediaTypeHint) throws IOException {
        JsonObject doc = Json.parseObject(bytes);
        String type = ImageManifest.mediaTypeOf(doc, mediaTypeHint);
        if (!MediaTypes.isIndex(type)) {
            throw new IOException("expected a manifest list or image index, got " + type);
        }
        return new ImageIndex(type, ManifestJson.descriptors(doc, "manifests", "index"));
    }

    /**
     * The entry for {@code wanted}: OS and architecture must match; a wanted variant must match
     * too (arm64's "v8" and no variant count as the same). Without a wanted variant the first entry
     * of that OS and architecture wins, as registries list the preferred one first.
     */
    public Descriptor select(Platform wanted) throws IOException {
        for (Descriptor d : manifests) {
            Platform p = d.platform();
            if (p != null && p.os().equals(wanted.os()) && p.architecture().equals(wanted.architecture())
                    && (wanted.variant().isEmpty() || sameVariant(wanted, p))) {
                return d;
            }
        }
        List<String> offered = new ArrayList<>();
        for (Descriptor d : manifests) {
            if (d.platform() != null) {
                offered.add(d.platform().toString());
            }
        }
        throw new IOException("no image found in manifest list for architecture " + wanted.architecture()
                + (wanted.variant().isEmpty() ? "" : ", variant " + wanted.variant()) + ", OS " + wanted.os()
                + " (the list offers " + (offered.isEmpty() ? "no platforms" : String.join(", ", offered)) + ")");
    }

    private static boolean sameVariant(Platform wanted, Platform offered) {
        String a = wanted.variant();
        String b = offered.variant();
        if ("arm64".equals(wanted.architecture())) {
            a = a.equals("v8") ? "" : a;
            b = b.equals("v8") ? "" : b;
        }
        return a.equals(b);
    }
}
