package berth.image.support.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes on, counting and SHA-256-hashing them. */
public final class Sha256OutputStream extends FilterOutputStream {
    private final Sha256 sha256 = Sha256.create();
    private long count;

    public Sha256OutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** {@code sha256:HEX} of everything written. */
    public String digest() {
        return sha256.digestString();
    }
}
