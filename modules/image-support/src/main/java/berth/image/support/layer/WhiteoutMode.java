package berth.image.support.layer;

/**
 * What a layer's whiteouts ({@code .wh.NAME}, {@code .wh..wh..opq}) become when it is extracted,
 * and what is turned back into them when a directory is written as a layer.
 */
public enum WhiteoutMode {
    /**
     * One layer into its own overlay upper/diff directory: a whiteout becomes a character device 0/0
     * named NAME, an opaque marker the xattr {@code trusted.overlay.opaque=y} on its directory (the
     * overlay kernel driver's own format, as containers/storage writes it).
     */
    OVERLAY,
    /**
     * Layers extracted on top of each other into one directory (a plain-copy store): a whiteout
     * deletes NAME, an opaque marker deletes what earlier layers put in its directory.
     */
    APPLY
}
