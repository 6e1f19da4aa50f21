package berth.kernel.model;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The caller's streams for attach and exec. A null stream is not attached.
 *
 * @param detachKeys the byte sequence that detaches (ctrl-p,ctrl-q by default); empty disables it
 */
public record AttachStreams(InputStream stdin, OutputStream stdout, OutputStream stderr, byte[] detachKeys) {
    public static final byte[] DEFAULT_DETACH_KEYS = {16, 17};
}
