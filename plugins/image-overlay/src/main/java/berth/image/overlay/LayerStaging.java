package berth.image.overlay;

import berth.image.support.manifest.Descriptor;
import berth.image.support.transport.BlobFetch;
import berth.image.support.transport.BlobStream;
import berth.image.support.transport.ImageSource;
import berth.kernel.model.PullListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One pass over a layer blob as it arrives: the blob is hashed, decompressed, hashed again (the
 * diff id), split (tar-split) and extracted into a staging directory, with no copy of the blob on
 * disk and no second read. Both digests are checked before the layer is offered to the commit.
 */
final class LayerStaging {
    private LayerStaging() {
    }

    /**
     * @param stagingDir a locked directory under the driver's staging root, for the files
     * @param tmp a locked directory for the tar-split (beside the layer records' directory's mount)
     */
    static FetchedLayer.Staged fetch(ImageSource src, Descriptor d, String expectedDiffId, String name, Path stagingDir, Path tmp,
                                     PullListener listener, int attempts) throws IOException {
        Path diff = stagingDir.resolve(name);
        Files.createDirectory(diff);
        Path tarSplit = tmp.resolve(name + ".tar-split.gz");
        LayerCodec.Extracted x;
        try (BlobStream in = BlobStream.open(src, d, listener, attempts)) {
            x = LayerCodec.extract(in, diff, false, tarSplit);
        }
        BlobFetch.verify(d, x.compressedSize(), x.compressedDigest());
        if (!expectedDiffId.equals(x.diffId())) {
            throw new IOException("layer " + d.digest() + ": the image config says diff id " + expectedDiffId
                    + ", the layer's content is " + x.diffId());
        }
        return new FetchedLayer.Staged(diff, tarSplit, x);
    }
}
