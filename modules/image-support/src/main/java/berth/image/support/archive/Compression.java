package berth.image.support.archive;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognises gzip and zstd streams by their magic bytes, as layers and tarballs carry no reliable label. */
enum Compression {
    NONE, GZIP, ZSTD;

    /** The compression of {@code in}, which must support mark/reset; nothing is consumed. */
    static Compression sniff(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** {@code in} decompressed when it is gzip or zstd, else as it is. */
    static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 65536);
        return sniff(buffered).wrap(buffered);
    }

    /** A decompressing stream over {@code in}, which holds data of this compression. */
    InputStream wrap(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 65536);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
