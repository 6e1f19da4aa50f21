package berth.kernel.model;

import java.nio.file.Path;

/**
 * How to pull.
 *
 * @param tlsVerify {@code Boolean.FALSE} for {@code --tls-verify=false}; null for the default (verify,
 *        except registries configured insecure and plain HTTP for localhost)
 * @param authFile credentials file ({@code --authfile}); null for the default locations
 * @param credentials {@code USER:PASSWORD} ({@code --creds}); null for none
 * @param os the platform's OS ({@code linux}); null for the host's
 * @param arch the platform's architecture ({@code amd64}); null for the host's
 * @param variant the platform's variant; null for any
 * @param listener progress
 */
public record PullOptions(Boolean tlsVerify, Path authFile, String credentials, String os, String arch, String variant,
                          PullListener listener) {
    public static final PullOptions DEFAULT = new PullOptions(null, null, null, null, null, null, PullListener.NONE);

    public PullOptions {
        if (listener == null) {
            listener = PullListener.NONE;
        }
    }

    public PullOptions withListener(PullListener l) {
        return new PullOptions(tlsVerify, authFile, credentials, os, arch, variant, l);
    }
}
