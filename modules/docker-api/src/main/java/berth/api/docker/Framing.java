package berth.api.docker;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream for a container without a terminal: each chunk behind an 8-byte header,
 * the stream (1 stdout, 2 stderr) then the length, big-endian. Both streams share one sink.
 */
final class Framing {
    private final OutputStream sink;

    Framing(OutputStream sink) {
        this.sink = sink;
    }

    OutputStream stream(int type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                frame(type, b, off, len);
            }

            @Override
            public void flush() throws IOException {
                sink.flush();
            }
        };
    }

    private synchronized void frame(int type, byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        byte[] header = {(byte) type, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
        byte[] all = new byte[8 + len];
        System.arraycopy(header, 0, all, 0, 8);
        System.arraycopy(b, off, all, 8, len);
        sink.write(all, 0, all.length);
        sink.flush();
    }
}
