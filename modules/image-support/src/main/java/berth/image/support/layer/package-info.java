/**
 * Layer tarballs: safe extraction, tar-split, and directories written as layers.
 *
 * <ul>
 *   <li>{@link berth.image.support.layer.LayerExtractor#extract} reads a layer blob (gzip, zstd or
 *       plain, told by {@link berth.image.support.layer.Compression#detect}) into a directory and
 *       returns its {@link berth.image.support.layer.LayerStats} (diff ID, sizes, blob digest);
 *       nothing is ever written outside the directory. Whiteouts become overlay whiteouts or are
 *       applied, per {@link berth.image.support.layer.WhiteoutMode}. With a tar-split stream in the
 *       {@link berth.image.support.layer.ExtractOptions}, it also writes the tar-split metadata
 *       containers/storage keeps as {@code overlay-layers/<id>.tar-split.gz} (uncompressed; the
 *       caller gzips it), the same bytes podman 4.3.1 writes for the same layer.</li>
 *   <li>{@link berth.image.support.layer.LayerAssembler#assemble} rebuilds the original tar byte for
 *       byte from tar-split and the extracted directory (save, push).</li>
 *   <li>{@link berth.image.support.layer.LayerWriter#write} writes a directory as a layer tar (commit,
 *       import, save of a layer without tar-split), turning overlay whiteouts back into layer ones.</li>
 * </ul>
 *
 * <p>The native calls Java lacks (mknod, lchown, chmod with setuid bits, the l*xattr family,
 * utimensat without following links, symlink and readlink byte for byte) go to libc through JNA.
 * The caller is expected to run as root.
 */
package berth.image.support.layer;
