/**
 * What image stores share, as oci-support is what OCI-CLI runtimes share: image references and
 * short-name resolution (registries.conf), manifests and digests, the transports (a Docker Registry
 * HTTP API v2 client, docker-archive, oci-archive and OCI layout directories) behind one
 * {@link berth.image.support.transport.ImageSource} / {@link berth.image.support.transport.ImageDestination}
 * pair, and safe layer extraction. A store plugin uses it; the engine never does.
 */
module berth.image.support {
    requires transitive berth.kernel;
    requires berth.support;
    requires java.net.http;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;
    requires com.sun.jna;

    exports berth.image.support.digest;
    exports berth.image.support.manifest;
    exports berth.image.support.transport;
    exports berth.image.support.reference;
    exports berth.image.support.registry;
    exports berth.image.support.archive;
    exports berth.image.support.layer;
}
