package berth.image.support.layer;

import berth.image.support.digest.Sha256InputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Extracts a layer blob (a tar, plain, gzip or zstd) into a directory, safely, and measures it on
 * the way: the diff ID and size of the uncompressed tar, the digest and size of the blob, and
 * optionally its tar-split metadata, all from the one pass over the stream.
 *
 * <p>Safe means nothing is ever created, changed or deleted outside the root: a name whose
 * {@code ..} climbs out is refused, an absolute name is taken relative to the root, a symbolic link
 * among an entry's parents is followed only inside the root and only to a directory there, the
 * entry itself is never followed, and a hard link must point at something this extraction can see
 * inside the root. A refused entry is an IOException naming it and the reason; what was extracted
 * before it stays. Owners, modes (setuid, setgid, sticky), xattrs, times, hard links, symbolic
 * links, fifos and device nodes are kept: the caller is expected to run as root.
 */
public final class LayerExtractor {
    private LayerExtractor() {
    }

    /**
     * Reads {@code layerBlob} to its end and extracts it into {@code root}, which must exist.
     * The blob stream is not closed.
     *
     * @throws IOException for a corrupt or truncated stream, a refused entry, or a file-system error
     */
    public static LayerStats extract(InputStream layerBlob, Path root, ExtractOptions opts) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("cannot extract a layer into " + root + ": no such directory");
        }
        Path realRoot = root.toRealPath();
        Sha256InputStream blob = new Sha256InputStream(layerBlob);
        Sha256InputStream tar = new Sha256InputStream(Compression.decompressing(blob));
        BufferedOutputStream splitOut = opts.tarSplitOut() == null ? null : new BufferedOutputStream(opts.tarSplitOut(), 64 * 1024);
        TarReader reader = new TarReader(tar, splitOut == null ? null : new TarSplitPacker(splitOut));
        Extraction extraction = new Extraction(realRoot, opts.mode());
        TarHeader header;
        while ((header = reader.next()) != null) {
            extraction.apply(header, reader.content());
        }
        reader.finish();
        blob.drain(); // a compressed blob may go on past the end of its stream; the digest covers it all
        extraction.finish();
        if (splitOut != null) {
            splitOut.flush();
        }
        return new LayerStats(tar.digest(), tar.count(), blob.digest(), blob.count());
    }
}
