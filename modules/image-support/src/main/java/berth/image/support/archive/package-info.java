/** docker-archive and oci-archive tarballs and OCI layout directories, as image sources and destinations. */
package berth.image.support.archive;
