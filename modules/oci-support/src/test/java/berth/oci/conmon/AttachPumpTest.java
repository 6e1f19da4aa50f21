package berth.oci.conmon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import berth.oci.natives.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The attach pump over a real SOCK_SEQPACKET pair standing in for conmon's attach socket: piped input
 * arrives whole even when it holds the detach keys; typed detach keys (one per read) detach.
 */
class AttachPumpTest {
    @Test
    void bulkInputHoldingDetachKeysIsCopiedWholeThenHalfClosed() throws Exception {
        byte[] data = new byte[1_536_000];
        new Random(14).nextBytes(data);
        data[1000] = 16; // ctrl-p ctrl-q inside the data, for certain
        data[1001] = 17;
        int[] pair = Posix.seqpacketPair();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<AttachResult> result = CompletableFuture.supplyAsync(() -> AttachPump.pump(pair[0],
                new AttachStreams(new java.io.ByteArrayInputStream(data), out, new ByteArrayOutputStream(),
                        AttachStreams.DEFAULT_DETACH_KEYS), true));
        byte[] received = readUntilEof(pair[1]);
        assertArrayEquals(data, received, "the input arrived changed or cut short");
        // conmon's side: output after the input ended still reaches the caller
        Posix.writeFully(pair[1], new byte[] {2, 'o', 'k'}, 3);
        Posix.close(pair[1]);
        assertEquals(AttachResult.EOF, result.get(30, TimeUnit.SECONDS));
        assertEquals("ok", out.toString());
    }

    @Test
    void detachKeysTypedOneByOneDetach() throws Exception {
        int[] pair = Posix.seqpacketPair();
        InputStream typed = new Typed(new byte[][] {"ab".getBytes(), {16}, {'x'}, {16}, {17}});
        CompletableFuture<AttachResult> result = CompletableFuture.supplyAsync(() -> AttachPump.pump(pair[0],
                new AttachStreams(typed, new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                        AttachStreams.DEFAULT_DETACH_KEYS), true));
        // a ctrl-p not followed by ctrl-q is input after all
        assertArrayEquals(new byte[] {'a', 'b', 16, 'x'}, readUntilEof(pair[1]));
        assertEquals(AttachResult.DETACHED, result.get(30, TimeUnit.SECONDS));
        Posix.close(pair[1]);
    }

    private static byte[] readUntilEof(int fd) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = Posix.read(fd, buf)) > 0) {
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    /** Input that comes in the given reads, as a terminal delivers keys; then blocks (the user types no more). */
    private static final class Typed extends InputStream {
        private final Deque<byte[]> reads = new ArrayDeque<>();

        Typed(byte[][] chunks) {
            for (byte[] c : chunks) {
                reads.add(c);
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            byte[] next = reads.poll();
            if (next == null) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            System.arraycopy(next, 0, b, off, next.length);
            return next.length;
        }
    }
}
