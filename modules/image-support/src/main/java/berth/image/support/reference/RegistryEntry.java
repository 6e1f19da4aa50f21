package berth.image.support.reference;

import java.util.List;

/**
 * One {@code [[registry]]} table of registries.conf.
 *
 * @param prefix the references it applies to ({@code example.com/ns}, or {@code *.example.com}); defaults to location
 * @param location where to contact instead ({@code mirror.local:5000/ns}); empty only with a wildcard prefix
 * @param insecure plain HTTP or unverified TLS allowed
 * @param blocked pulls are refused
 * @param mirrorByDigestOnly mirrors are used only for references by digest
 * @param mirrors the {@code [[registry.mirror]]} endpoints, tried before the location
 */
public record RegistryEntry(String prefix, String location, boolean insecure, boolean blocked, boolean mirrorByDigestOnly,
                            List<Mirror> mirrors) {
    public RegistryEntry {
        mirrors = List.copyOf(mirrors);
    }

    /** A {@code [[registry.mirror]]}: another location serving the same content. */
    public record Mirror(String location, boolean insecure) {
    }
}
