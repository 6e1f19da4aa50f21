package berth.image.support.registry;

import java.nio.file.Path;

/**
 * How to reach one registry.
 *
 * @param tlsVerify {@code Boolean.FALSE} for {@code --tls-verify=false} (any certificate, and plain HTTP
 *        when HTTPS fails); null for the default
 * @param authFile {@code --authfile}; null for the default locations (see {@link AuthFile})
 * @param credentials {@code USER:PASSWORD} ({@code --creds}); null to look in the auth files
 * @param insecureConfigured registries.conf marks the registry {@code insecure}: same as tlsVerify false
 */
public record RegistryOptions(Boolean tlsVerify, Path authFile, String credentials, boolean insecureConfigured) {
    public static final RegistryOptions DEFAULT = new RegistryOptions(null, null, null, false);

    /** Certificates are not checked and plain HTTP is a fallback. */
    public boolean insecure() {
        return Boolean.FALSE.equals(tlsVerify) || (tlsVerify == null && insecureConfigured);
    }
}
