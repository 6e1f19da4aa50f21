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

    private static void copyIn(int fd, InputStream stdin, byte[] keys, boolean[] detached) {
        byte[] buf = new byte[8192];
        int matched = 0;
        try {
            while (true) {
                int n = stdin.read(buf);
                if (n < 0) {
                    Posix.shutdownWrite(fd);
                    return;
                }
                byte[] out = new byte[n + matched];
                int o = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (keys != null && keys.length > 0 && b == keys[matched]) {
                        matched++;
                        if (matched == keys.length) {
                            synchronized (detached) {
                                detached[0] = true;
                            }
                            if (o > 0) {
                                Posix.writeFully(fd, out, o);
                            }
                            // wake the reader: SHUT_RDWR makes its read return 0
                            Posix.shutdownBoth(fd);
                            return;
                        }
                        continue;
                    }
                    if (matched > 0) {
                        System.arraycopy(keys, 0, out, o, matched);
                        o += matched;
                        matched = 0;
                    }
                    out[o++] = b;
                }
                if (o > 0) {
                    Posix.writeFully(fd, Arrays.copyOf(out, o), o);
                }
            }
        } catch (IOException e) {
            // socket closed under us: the container exited
        }
    }
}
