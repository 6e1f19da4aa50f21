package berth.image.support.registry;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that must hold its announced {@code Content-Length}: HttpURLConnection ends a
 * body cut short by a closed connection as if it were whole, and a pull resumes a broken transfer
 * only when it sees the break.
 */
final class ExactLengthStream extends FilterInputStream {
    private final long length;
    private long read;

    ExactLengthStream(InputStream in, long length) {
        super(in);
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            checkEnd();
        } else {
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            checkEnd();
        } else {
            read += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        read += skipped;
        return skipped;
    }

    private void checkEnd() throws EOFException {
        if (read < length) {
            throw new EOFException("the connection closed after " + read + " of the " + length + " bytes announced");
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
