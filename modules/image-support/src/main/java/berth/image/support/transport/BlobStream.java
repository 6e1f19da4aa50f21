package berth.image.support.transport;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.kernel.model.PullListener;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob read straight from its source, for a consumer that hashes and unpacks it on the fly (no
 * temporary copy: a pull reads each byte once). A transfer that breaks mid-stream resumes where it
 * broke, with a Range request, up to {@code attempts} tries in all; the consumer never sees the
 * break. More bytes than the descriptor's size is an error; the digest is the consumer's to check
 * (with {@link BlobFetch#verify(Descriptor, long, String)}).
 */
public final class BlobStream extends InputStream {
    private final ImageSource src;
    private final Descriptor descriptor;
    private final PullListener listener;
    private final int attempts;
    private InputStream in;
    private long have;
    private int attempt = 1;
    private boolean done;

    private BlobStream(ImageSource src, Descriptor descriptor, PullListener listener, int attempts) {
        this.src = src;
        this.descriptor = descriptor;
        this.listener = listener;
        this.attempts = Math.max(1, attempts);
    }

    /** Opens the blob (the first request is made here, so a missing blob fails at once). */
    public static BlobStream open(ImageSource src, Descriptor d, PullListener listener, int attempts) throws IOException {
        Digests.validate(d.digest());
        BlobStream s = new BlobStream(src, d, listener, attempts);
        listener.blobStarted(d.digest(), d.size());
        while (s.in == null) {
            try {
                s.in = src.blob(d, 0);
            } catch (IOException e) {
                s.retryOrThrow(e);
            }
        }
        return s;
    }

    /** How many bytes of the blob have been read. */
    public long count() {
        return have;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                if (in == null) {
                    in = src.blob(descriptor, have);
                }
                n = in.read(b, off, len);
            } catch (IOException e) {
                closeQuietly();
                retryOrThrow(e);
                continue;
            }
            if (n < 0) {
                if (!done) {
                    done = true;
                    listener.blobDone(descriptor.digest(), false);
                }
                return -1;
            }
            have += n;
            if (descriptor.size() >= 0 && have > descriptor.size()) {
                throw new IOException("blob " + descriptor.digest() + ": more bytes than the expected " + descriptor.size());
            }
            listener.blobProgress(descriptor.digest(), have);
            return n;
        }
    }

    private void retryOrThrow(IOException e) throws IOException {
        if (attempt >= attempts) {
            throw new IOException("fetching blob " + descriptor.digest() + " from " + src.describe() + " (after " + attempt
                    + (attempt == 1 ? " attempt" : " attempts") + ", " + have + " bytes): " + e.getMessage(), e);
        }
        attempt++;
    }

    private void closeQuietly() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is broken already
            }
            in = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
