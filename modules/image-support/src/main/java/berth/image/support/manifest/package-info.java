/** Image manifests, indexes, descriptors, media types and digests. */
package berth.image.support.manifest;
