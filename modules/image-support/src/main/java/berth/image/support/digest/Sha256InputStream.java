package berth.image.support.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts and SHA-256-hashes every byte read through it (skip reads, so skipped bytes count too). */
public class Sha256InputStream extends FilterInputStream {
    private final Sha256 sha256 = Sha256.create();
    private long count;

    public Sha256InputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 1), 8192)];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end of the stream, so the digest covers all of it. */
    public void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // counted and hashed by read
        }
    }

    public long count() {
        return count;
    }

    /** {@code sha256:HEX} of everything read so far. */
    public String digest() {
        return sha256.digestString();
    }
}
