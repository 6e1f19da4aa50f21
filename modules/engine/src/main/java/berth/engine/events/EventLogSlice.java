package berth.engine.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * One thread's part of the events log, read by that thread: the bytes from the part's nominal start
 * to just past the first newline at or after its nominal end, and of those, the whole lines that
 * are the part's ({@code bytes[start, end)}): after the first newline at or after its nominal start
 * (from the log's start for the first part), up to and with the first one at or after its nominal
 * end (the rest of the log for the last part). Each line is in exactly one part, and the parts are
 * read at once, each on its own core (a 2.7 MB log cost ~3 ms to read in one piece).
 */
record EventLogSlice(byte[] bytes, int start, int end) {
    /** Read this much past a part's nominal end at first: lines are a few hundred bytes. */
    private static final int OVERHANG = 4096;
    /** A read at a time: the JDK copies each through a temporary direct buffer of its size. */
    private static final int CHUNK = 64 * 1024;

    /** The part of the log at {@code [from, to)} of {@code size} bytes: the first part has from 0, the last to size. */
    static EventLogSlice read(FileChannel ch, long from, long to, long size) throws IOException {
        boolean last = to >= size;
        byte[] b = new byte[(int) Math.min(size - from, to - from + (last ? 0 : OVERHANG))];
        int n = fill(ch, b, 0, from);
        int nominal = (int) (to - from);
        int end = n;
        if (!last) {
            int nl = newline(b, nominal, n);
            while (nl < 0 && n == b.length && from + n < size) {
                // a line longer than the overhang: read on
                b = Arrays.copyOf(b, (int) Math.min(size - from, b.length * 2L));
                int had = n;
                n = fill(ch, b, n, from + n);
                nl = newline(b, had, n);
            }
            end = nl < 0 ? n : nl + 1;
        }
        int start = 0;
        if (from > 0) {
            int nl = newline(b, 0, n);
            start = nl < 0 ? n : nl + 1;
        }
        return new EventLogSlice(b, Math.min(start, end), end);
    }

    /** Reads {@code b[off..]} from the file at {@code pos}; the bytes now in {@code b} (fewer at the file's end). */
    private static int fill(FileChannel ch, byte[] b, int off, long pos) throws IOException {
        int n = off;
        while (n < b.length) {
            int r = ch.read(ByteBuffer.wrap(b, n, Math.min(CHUNK, b.length - n)), pos + n - off);
            if (r < 0) {
                break; // cut short since its size was read: what there is
            }
            n += r;
        }
        return n;
    }

    private static int newline(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == '\n') {
                return k;
            }
        }
        return -1;
    }
}
