package berth.image.support.reference;

/**
 * Where to contact for an image: the reference rewritten to a registry.conf location or mirror, and
 * whether that endpoint was configured insecure.
 *
 * @param reference what to ask that endpoint for (registry host and repository rewritten)
 * @param insecure the configuration allows plain HTTP or an unverified certificate there
 * @param mirror true for a {@code [[registry.mirror]]}, false for the registry's own location
 */
public record RegistryEndpoint(ImageReference reference, boolean insecure, boolean mirror) {
}
