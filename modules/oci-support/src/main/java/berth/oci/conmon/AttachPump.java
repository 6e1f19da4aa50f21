package berth.oci.conmon;

import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.oci.natives.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Copies between the caller's streams and a conmon attach socket (SOCK_SEQPACKET). Each packet from
 * conmon starts with one byte naming the stream (2 stdout, 3 stderr); what the caller types is sent
 * raw. Typing the detach keys ends the attachment and leaves the container running.
 */
final class AttachPump {
    private static final int STDOUT = 2;
    private static final int STDERR = 3;

    private AttachPump() {
    }

    static AttachResult pump(int fd, AttachStreams streams, boolean sendStdin) {
        final boolean[] detached = {false};
        Thread in = null;
        if (sendStdin && streams.stdin() != null) {
            in = new Thread(() -> copyIn(fd, streams.stdin(), streams.detachKeys(), detached), "berth-attach-stdin");
            in.setDaemon(true);
            in.start();
        }
        byte[] buf = new byte[8193 + 1];
        try {
            while (true) {
                int n = Posix.read(fd, buf);
                if (n <= 0) {
                    break;
                }
                OutputStream out = buf[0] == STDERR ? streams.stderr() : buf[0] == STDOUT ? streams.stdout() : null;
                if (out != null && n > 1) {
                    out.write(buf, 1, n - 1);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the caller's output closed (a pipe reader went away): stop copying, the container runs on
        } finally {
            Posix.close(fd);
        }
        synchronized (detached) {
            return detached[0] ? AttachResult.DETACHED : AttachResult.EOF;
        }
    }

    /**
     * Copies the caller's input to the socket until its end, then half-closes the socket (conmon then
     * closes the process's stdin). As podman's CopyDetachable, a detach key counts only when it comes
     * alone in one read, as typed keys do: piped data (a megabyte of random bytes holds ctrl-p ctrl-q
     * a few dozen times) is copied whole and never detaches. Each write is one packet of at most 8 KiB,
     * well under the 32 KiB conmon receives at once (a longer packet would be cut short).
     */
    private static void copyIn(int fd, InputStream stdin, byte[] keys, boolean[] detached) {
        byte[] buf = new byte[8192];
        byte[] held = new byte[keys == null ? 0 : keys.length];
        int matched = 0;
        try {
            while (true) {
                int n = stdin.read(buf);
                if (n < 0) {
                    if (matched > 0) {
                        Posix.writeFully(fd, held, matched);
                    }
                    Posix.shutdownWrite(fd);
                    return;
                }
                if (n == 1 && held.length > 0 && buf[0] == keys[matched]) {
                    held[matched++] = buf[0];
                    if (matched == keys.length) {
                        synchronized (detached) {
                            detached[0] = true;
                        }
                        // wake the reader: SHUT_RDWR makes its read return 0
                        Posix.shutdownBoth(fd);
                        return;
                    }
                    continue;
                }
                if (matched > 0) { // not the detach sequence after all: the held keys are input
                    Posix.writeFully(fd, held, matched);
                    matched = 0;
                }
                if (n > 0) {
                    Posix.writeFully(fd, Arrays.copyOf(buf, n), n);
                }
            }
        } catch (IOException e) {
            // socket closed under us: the container exited
        }
    }
}
