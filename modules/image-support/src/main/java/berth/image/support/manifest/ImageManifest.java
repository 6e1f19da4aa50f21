package berth.image.support.manifest;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI image manifest or Docker schema 2): the config blob and the layers, in
 * order from the bottom.
 */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * Parses a manifest. {@code mediaTypeHint} (a Content-Type, an index entry's type; may be null)
     * is used when the document has no {@code mediaType} field, as OCI manifests may omit it.
     */
    public static ImageManifest parse(byte[] bytes, String mediaTypeHint) throws IOException {
        JsonObject doc = Json.parseObject(bytes);
        String type = mediaTypeOf(doc, mediaTypeHint);
        if (MediaTypes.isIndex(type)) {
            throw new IOException("expected an image manifest, got an index (" + type + ")");
        }
        if (type.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new IOException("unsupported manifest schema 1 (" + type + "): push the image again with a current tool");
        }
        if (doc.integer("schemaVersion", 0) != 2) {
            throw new IOException("unsupported manifest schemaVersion " + doc.raw("schemaVersion"));
        }
        Descriptor config = ManifestJson.descriptor(doc.obj("config"), "manifest config");
        return new ImageManifest(type, config, ManifestJson.descriptors(doc, "layers", "manifest"), doc.stringMap("annotations"));
    }

    /**
     * The media type of a manifest or index document: its own {@code mediaType} field, else the
     * hint, else guessed from its shape ({@code manifests} → OCI index, otherwise OCI manifest).
     */
    public static String detectMediaType(byte[] bytes, String mediaTypeHint) throws IOException {
        return mediaTypeOf(Json.parseObject(bytes), mediaTypeHint);
    }

    static String mediaTypeOf(JsonObject doc, String hint) {
        String own = doc.str("mediaType");
        if (own != null && !own.isEmpty()) {
            return own;
        }
        String h = hint == null ? "" : stripParameters(hint);
        if (!h.isEmpty() && !h.equals("application/json") && !h.equals("text/plain")) {
            return h;
        }
        if (doc.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (doc.integer("schemaVersion", 0) == 1) {
            return "application/vnd.docker.distribution.manifest.v1+json";
        }
        return MediaTypes.OCI_MANIFEST;
    }

    private static String stripParameters(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }
}
