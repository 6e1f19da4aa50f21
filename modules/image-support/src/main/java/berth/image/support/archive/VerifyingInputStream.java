package berth.image.support.archive;

import berth.image.support.digest.Sha256;
import berth.image.support.manifest.Digests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Hashes what passes through and, at the end of the stream, fails when the digest (or the size,
 * when known) is not the expected one: a damaged archive is an error at the read that meets it,
 * not a silently wrong layer.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final Sha256 sha256 = Sha256.create();
    private final String expectedDigest;
    private final long expectedSize;
    private final String what;
    private long count;
    private boolean checked;

    /**
     * @param expectedSize -1 when unknown
     * @param what names the blob and its archive for the error message
     */
    VerifyingInputStream(InputStream in, String expectedDigest, long expectedSize, String what) {
        super(in);
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            check();
        } else {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
            check();
        } else {
            sha256.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must be hashed too, so skip by reading
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        if (expectedSize >= 0 && count != expectedSize) {
            throw new IOException(what + ": size mismatch: expected " + expectedSize + " bytes, read " + count);
        }
        String actual = Digests.format(sha256.digest());
        if (!actual.equals(expectedDigest)) {
            throw new IOException(what + ": digest mismatch: expected " + expectedDigest + ", got " + actual);
        }
    }
}
