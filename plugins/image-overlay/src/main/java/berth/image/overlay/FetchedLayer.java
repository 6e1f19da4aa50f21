package berth.image.overlay;

import java.nio.file.Path;

/** A layer a pull brought in, before the store's locks are taken: its blob on disk, or its files already extracted. */
sealed interface FetchedLayer {
    /** The blob, to be extracted under the locks (vfs: a layer starts as a copy of its parent). */
    record BlobFile(Path blob) implements FetchedLayer {
    }

    /** Files extracted while downloading, checked against the digests; the commit moves them in. */
    record Staged(Path diff, Path tarSplit, LayerCodec.Extracted extracted) implements FetchedLayer {
    }
}
