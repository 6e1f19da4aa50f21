/**
 * docker-archive and oci-archive tarballs and OCI layout directories, as image sources and
 * destinations.
 *
 * <p>Reading: {@link berth.image.support.archive.DockerArchive} (or
 * {@link berth.image.support.archive.DockerArchiveSource#open}) for {@code docker save} tarballs,
 * {@link berth.image.support.archive.OciLayoutSource} for {@code oci:DIR},
 * {@link berth.image.support.archive.OciArchiveSource} for {@code oci-archive:FILE}. Tarballs are
 * indexed once (headers only) and read in place; a compressed tarball is decompressed once to a
 * temp file. Every blob is verified against its digest as it is read, so a damaged archive fails
 * with an IOException naming it.
 *
 * <p>Writing: {@link berth.image.support.archive.DockerArchiveDestination} (podman's layout:
 * uncompressed {@code DIFFID.tar} layers, {@code HEX.json} configs, several images per archive),
 * {@link berth.image.support.archive.OciLayoutDestination},
 * {@link berth.image.support.archive.OciArchiveDestination}; nothing appears under the target's
 * name until commit.
 *
 * <p>{@link berth.image.support.archive.ArchiveFormats#detect} tells the tarball formats apart for
 * {@code load}; {@link berth.image.support.archive.TransportRef#parse} splits
 * {@code docker-archive:PATH:REF}-style names as containers/image does.
 */
package berth.image.support.archive;
