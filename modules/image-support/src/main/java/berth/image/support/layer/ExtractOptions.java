package berth.image.support.layer;

import java.io.OutputStream;
import java.util.Objects;

/**
 * How {@link LayerExtractor#extract} treats a layer.
 *
 * @param mode what whiteouts become
 * @param tarSplitOut where to write the layer's tar-split metadata (JSON lines, uncompressed: the
 *     caller compresses it, containers/storage keeps it as {@code <layer>.tar-split.gz}); null for none.
 *     It is not closed.
 */
public record ExtractOptions(WhiteoutMode mode, OutputStream tarSplitOut) {
    public ExtractOptions {
        Objects.requireNonNull(mode, "mode");
    }

    /** No tar-split. */
    public static ExtractOptions of(WhiteoutMode mode) {
        return new ExtractOptions(mode, null);
    }
}
