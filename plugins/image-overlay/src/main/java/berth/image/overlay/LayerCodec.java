package berth.image.overlay;

import berth.image.support.layer.Compression;
import berth.image.support.layer.ExtractOptions;
import berth.image.support.layer.LayerAssembler;
import berth.image.support.layer.LayerExtractor;
import berth.image.support.layer.LayerStats;
import berth.image.support.layer.LayerWriter;
import berth.image.support.layer.WhiteoutMode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The store's use of image-support's layer code: extracting a blob into a layer's directory while
 * recording its tar-split ({@code <id>.tar-split.gz}, gzip as c/storage writes it), and rebuilding
 * a layer's exact tar from that tar-split and the files.
 */
final class LayerCodec {
    private LayerCodec() {
    }

    /** What extraction learnt, with the blob's compression in c/storage's numbering. */
    record Extracted(String diffId, long diffSize, String compressedDigest, long compressedSize, int compression) {
    }

    static Extracted extract(Path blob, Path target, boolean applyWhiteouts, Path tarSplitGz) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            return extract(in, target, applyWhiteouts, tarSplitGz);
        }
    }

    /** As above, from a stream (read to its end, not closed): a blob straight from its source. */
    static Extracted extract(InputStream blob, Path target, boolean applyWhiteouts, Path tarSplitGz) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 1 << 16);
        int compression = switch (Compression.detect(in)) {
            case GZIP -> LayerRecord.GZIP;
            case ZSTD -> LayerRecord.ZSTD;
            case NONE -> LayerRecord.UNCOMPRESSED;
        };
        Files.createDirectories(tarSplitGz.getParent());
        LayerStats stats;
        try (OutputStream ts = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tarSplitGz), 1 << 16), 1 << 16)) {
            stats = LayerExtractor.extract(in, target, new ExtractOptions(applyWhiteouts ? WhiteoutMode.APPLY : WhiteoutMode.OVERLAY, ts));
        }
        Files.setPosixFilePermissions(tarSplitGz, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new Extracted(stats.diffId(), stats.uncompressedSize(), stats.compressedDigest(), stats.compressedSize(), compression);
    }

    /** Writes a layer's tar, byte for byte as it was pulled (uncompressed), from its tar-split and files. */
    static void assemble(Path tarSplitGz, Path files, OutputStream out) throws IOException {
        try (InputStream ts = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarSplitGz)))) {
            LayerAssembler.assemble(ts, files, out);
        }
    }

    /** Writes a container's changes (an overlay upper dir) as a layer tar; returns its diff id. */
    static String writeChanges(Path upperDir, OutputStream out) throws IOException {
        return LayerWriter.write(upperDir, out, WhiteoutMode.OVERLAY);
    }
}
