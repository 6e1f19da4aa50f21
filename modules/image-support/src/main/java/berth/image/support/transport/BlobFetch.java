package berth.image.support.transport;

import berth.image.support.digest.Sha256;
import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.kernel.model.PullListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Downloads a blob to a temporary file while hashing it. A transfer that breaks mid-stream resumes
 * from the bytes already on disk (sources seek with a Range request), so a flaky network costs a
 * retry, not the whole layer. The result is checked against the descriptor's size and digest.
 */
public final class BlobFetch {
    private static final int BUFFER = 128 * 1024;

    private BlobFetch() {
    }

    /**
     * The blob in a new file under {@code dir} (the caller moves or deletes it); {@code attempts}
     * is how many times a broken transfer is tried in all (at least 1).
     */
    public static Path fetch(ImageSource src, Descriptor d, Path dir, PullListener l, int attempts) throws IOException {
        Digests.validate(d.digest());
        Path tmp = Files.createTempFile(dir, "blob-", ".partial");
        boolean ok = false;
        try {
            Sha256 sha = Sha256.create();
            long have = 0;
            l.blobStarted(d.digest(), d.size());
            for (int attempt = 1; ; attempt++) {
                truncate(tmp, have); // a failed write may have left bytes that were never hashed
                try (InputStream in = src.blob(d, have);
                     OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.APPEND)) {
                    byte[] buf = new byte[BUFFER];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        sha.update(buf, 0, n);
                        have += n;
                        if (d.size() >= 0 && have > d.size()) {
                            throw new SizeMismatch(d.digest() + ": more bytes than the expected " + d.size());
                        }
                        l.blobProgress(d.digest(), have);
                    }
                    break;
                } catch (SizeMismatch e) {
                    throw new IOException("blob " + e.getMessage());
                } catch (IOException e) {
                    if (attempt >= Math.max(1, attempts)) {
                        throw new IOException("fetching blob " + d.digest() + " from " + src.describe() + " (after " + attempt
                                + (attempt == 1 ? " attempt" : " attempts") + ", " + have + " bytes): " + e.getMessage(), e);
                    }
                    // the hash so far matches what is on disk: what was written and hashed is kept
                }
            }
            verify(d, have, Digests.format(sha.digest()));
            l.blobDone(d.digest(), false);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Checks a transferred blob's size and digest against its descriptor (size -1: unknown, not checked). */
    public static void verify(Descriptor d, long size, String digest) throws IOException {
        if (d.size() >= 0 && size != d.size()) {
            throw new IOException("blob " + d.digest() + ": size mismatch: expected " + d.size() + " bytes, got " + size);
        }
        if (!d.digest().equals(digest)) {
            throw new IOException("blob " + d.digest() + ": digest mismatch: the content has digest " + digest);
        }
    }

    /** Checks a file's size and digest against its descriptor. */
    public static void verify(Descriptor d, Path file) throws IOException {
        Sha256 sha = Sha256.create();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        }
        verify(d, size, Digests.format(sha.digest()));
    }

    private static void truncate(Path file, long size) throws IOException {
        if (Files.size(file) != size) {
            try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(size);
            }
        }
    }

    private static final class SizeMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        SizeMismatch(String message) {
            super(message);
        }
    }
}
