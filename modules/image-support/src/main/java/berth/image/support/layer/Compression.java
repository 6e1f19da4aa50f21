package berth.image.support.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a layer blob is compressed, told by its first bytes rather than by its media type (registries
 * and archives mislabel layers; containers/image sniffs the same way).
 */
public enum Compression {
    /** An uncompressed tar. */
    NONE,
    /** gzip (magic 1f 8b). */
    GZIP,
    /** zstd (magic 28 b5 2f fd). */
    ZSTD;

    private static final int MAGIC_BYTES = 4;

    /**
     * Looks at the first bytes of {@code in} and puts them back (mark/reset).
     *
     * @param in a stream that supports mark, e.g. a {@link BufferedInputStream}
     */
    public static Compression detect(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("Compression.detect needs a stream that supports mark/reset");
        }
        in.mark(MAGIC_BYTES);
        byte[] magic = new byte[MAGIC_BYTES];
        int n;
        try {
            n = in.readNBytes(magic, 0, MAGIC_BYTES);
        } finally {
            in.reset();
        }
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (n == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /**
     * Detects the compression of {@code raw} and returns a stream of its decompressed bytes. Closing
     * the result closes {@code raw}.
     */
    public static InputStream decompressing(InputStream raw) throws IOException {
        InputStream buffered = raw.markSupported() ? raw : new BufferedInputStream(raw, 64 * 1024);
        return detect(buffered).decompress(buffered);
    }

    /** Wraps {@code in} in this compression's decompressor ({@link #NONE}: {@code in} itself). */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    /** Wraps {@code out} in this compression's compressor; closing the result finishes the stream and closes {@code out}. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 64 * 1024);
            case ZSTD -> new ZstdOutputStream(out);
        };
    }
}
