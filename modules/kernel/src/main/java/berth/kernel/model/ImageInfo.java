package berth.kernel.model;

import java.time.Instant;
import java.util.List;

/**
 * One image in a store, as {@code images} and {@code image inspect} show it.
 *
 * @param id the image id: the hex sha256 of its configuration
 * @param names its names, fully qualified ({@code docker.io/library/alpine:latest}); empty for a dangling image
 * @param digest the digest of its manifest ({@code sha256:...})
 * @param repoDigests {@code REPOSITORY@DIGEST} for each name's repository
 * @param created when the image was built (its configuration's {@code created}); null when unknown
 * @param size the sum of its layers' uncompressed sizes, in bytes
 * @param os the platform's OS
 * @param architecture the platform's architecture
 * @param author the configuration's author; empty when none
 * @param layers the diff ids of its layers, bottom first
 * @param topLayer the store's id of its top layer; empty for an image with no layers
 * @param manifestType the manifest's media type
 * @param config the run settings
 */
public record ImageInfo(String id, List<String> names, String digest, List<String> repoDigests, Instant created, long size,
                        String os, String architecture, String author, List<String> layers, String topLayer,
                        String manifestType, ImageConfig config) {
    public ImageInfo {
        names = List.copyOf(names);
        repoDigests = List.copyOf(repoDigests);
        layers = List.copyOf(layers);
        author = author == null ? "" : author;
        topLayer = topLayer == null ? "" : topLayer;
        config = config == null ? ImageConfig.EMPTY : config;
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** True when the image has no name. */
    public boolean dangling() {
        return names.isEmpty();
    }
}
