package berth.kernel.model;

import java.nio.file.Path;

/**
 * How to push.
 *
 * @param tlsVerify as in {@link PullOptions#tlsVerify()}
 * @param authFile credentials file; null for the default locations
 * @param credentials {@code USER:PASSWORD}; null for none
 * @param format the manifest format: {@code oci}, {@code v2s2}, or null to keep the image's own
 * @param listener progress
 */
public record PushOptions(Boolean tlsVerify, Path authFile, String credentials, String format, PullListener listener) {
    public static final PushOptions DEFAULT = new PushOptions(null, null, null, null, PullListener.NONE);

    public PushOptions {
        if (listener == null) {
            listener = PullListener.NONE;
        }
    }
}
