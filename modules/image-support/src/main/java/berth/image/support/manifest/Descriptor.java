package berth.image.support.manifest;

import java.util.Map;

/**
 * A content descriptor (OCI image spec): what a blob is, its digest and size.
 *
 * @param mediaType the blob's media type
 * @param digest {@code sha256:HEX}
 * @param size its size in bytes; -1 when unknown
 * @param platform for an index entry, the platform it serves; null otherwise
 * @param annotations e.g. {@code org.opencontainers.image.ref.name} in an OCI layout's index
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, null, Map.of());
    }
}
