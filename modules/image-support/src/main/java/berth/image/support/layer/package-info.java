/** Safe layer extraction (whiteouts, hard links, owners, xattrs; gzip, zstd, plain), layer tarballs from directories, and tar-split metadata. */
package berth.image.support.layer;
