package berth.image.overlay;

import berth.image.support.digest.Sha256OutputStream;
import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.RawManifest;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PullListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a stored image to a destination (save, push): its config as stored, each layer rebuilt
 * byte-exact from its tar-split and files, and a new manifest for those layers (uncompressed for
 * an archive, gzip for a registry, as podman does).
 */
final class ImageExporter {
    private final Layers layers;

    ImageExporter(Layers layers) {
        this.layers = layers;
    }

    /** One image's layers, read under the lock, so that the export can run without it. */
    record Snapshot(String imageId, byte[] config, String manifestType, List<LayerRecord> layers, List<String> names) {
    }

    Snapshot snapshot(StoreTxn txn, ImageRecord image) {
        byte[] config = BigData.read(txn.layout, image.id(), "sha256:" + image.id()).orElseThrow(() ->
                new BerthException(ErrorCode.IMAGE_INVALID, "image " + image.id() + " has no config in the store"));
        String type = BigData.read(txn.layout, image.id(), BigData.MANIFEST).map(ImageInfos::parse)
                .map(m -> m.str("mediaType", MediaTypes.OCI_MANIFEST)).orElse(MediaTypes.OCI_MANIFEST);
        List<LayerRecord> chain = new ArrayList<>();
        String id = image.topLayer();
        while (!id.isEmpty()) {
            String current = id;
            LayerRecord l = txn.layer(current).orElseThrow(() ->
                    new BerthException(ErrorCode.IMAGE_INVALID, "image " + image.id() + ": layer " + current + " is missing"));
            chain.add(l);
            id = l.parent();
        }
        Collections.reverse(chain);
        return new Snapshot(image.id(), config, type, chain, image.names());
    }

    /**
     * Writes the image's blobs and its manifest (once per tag; none when {@code tags} is empty).
     *
     * @param manifestType the manifest's media type to write
     * @param gzip compress layers (a push) or keep them as tar (save)
     */
    void write(StoreLayout layout, Snapshot s, ImageDestination dest, String manifestType, boolean gzip, List<String> tags,
               Path tmp, PullListener listener) throws IOException {
        byte[] config = s.config();
        Descriptor configDesc = new Descriptor(ManifestBuilder.configType(manifestType), "sha256:" + s.imageId(), config.length);
        List<Descriptor> layerDescs = new ArrayList<>();
        for (LayerRecord l : s.layers()) {
            Path tar = Files.createTempFile(tmp, "layer-", gzip ? ".tar.gz" : ".tar");
            try {
                Sha256OutputStream hashed;
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tar));
                     Sha256OutputStream h = new Sha256OutputStream(file);
                     OutputStream out = gzip ? new GZIPOutputStream(h, 1 << 16) : h) {
                    hashed = h;
                    LayerCodec.assemble(layout.tarSplit(l.id()), layers.driver().diffDir(l.id()), out);
                }
                String digest = hashed.digest();
                if (!gzip && !l.diffDigest().isEmpty() && !digest.equals(l.diffDigest())) {
                    throw new BerthException(ErrorCode.IMAGE_INVALID, "layer " + l.id() + " does not rebuild to its diff id "
                            + l.diffDigest() + " (got " + digest + "): its files changed in the store");
                }
                Descriptor d = new Descriptor(ManifestBuilder.layerType(manifestType, gzip), digest, Files.size(tar));
                layerDescs.add(d);
                if (dest.hasBlob(d)) {
                    listener.blobDone(d.digest(), true);
                } else {
                    listener.message("Copying blob " + digest);
                    listener.blobStarted(d.digest(), d.size());
                    try (InputStream in = Files.newInputStream(tar)) {
                        dest.putBlob(d, in);
                    }
                    listener.blobDone(d.digest(), false);
                }
            } finally {
                Files.deleteIfExists(tar);
            }
        }
        listener.message("Copying config " + configDesc.digest());
        if (!dest.hasBlob(configDesc)) {
            dest.putBlob(configDesc, new java.io.ByteArrayInputStream(config));
        }
        listener.message("Writing manifest to image destination");
        RawManifest manifest = ManifestBuilder.build(manifestType, configDesc, layerDescs);
        if (tags.isEmpty()) {
            dest.putManifest(manifest, null);
        }
        for (String tag : tags) {
            dest.putManifest(manifest, tag);
        }
    }

    /** The manifest type the stored config's {@code mediaType} suggests, for a push that keeps the image's own. */
    static String ownType(Snapshot s) {
        return s.manifestType() == null || s.manifestType().isEmpty() ? MediaTypes.OCI_MANIFEST : s.manifestType();
    }

}
