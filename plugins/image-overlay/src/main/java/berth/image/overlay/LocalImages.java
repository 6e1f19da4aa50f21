package berth.image.overlay;

import berth.support.GoTimes;
import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.RawManifest;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.ImageConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Images made here rather than copied: {@code import} (a rootfs tarball) and {@code commit} (a container's changes). */
final class LocalImages {
    private final StoreLayout layout;
    private final Layers layers;
    private final ImageCommitter committer;

    LocalImages(StoreLayout layout, Layers layers, ImageCommitter committer) {
        this.layout = layout;
        this.layers = layers;
        this.committer = committer;
    }

    ImageRecord importTarball(StoreTxn txn, Path tarball, List<String> names, ImageConfig config) throws IOException {
        String layerId = Ids.random();
        LayerRecord layer = committer.createLayer(txn, layerId, "", tarball, null);
        try {
            Instant now = Instant.now();
            JsonObject doc = new JsonObject();
            doc.put("created", GoTimes.rfc3339Nano(now));
            Platform host = Platform.host();
            doc.put("architecture", host.architecture());
            doc.put("os", host.os());
            doc.put("config", ImageInfos.configJson(config == null ? ImageConfig.EMPTY : config));
            doc.put("rootfs", rootfs(List.of(layer.diffDigest())));
            doc.put("history", new ArrayList<>(List.of(history(now, "/bin/sh -c #(nop) ADD file:" + Digests.hex(layer.diffDigest())
                    + " in / ", null, "imported from tarball"))));
            return store(txn, doc, List.of(layer), names);
        } catch (IOException | RuntimeException e) {
            if (!layers.inUse(txn, layerId)) {
                layers.delete(txn, layerId);
            }
            throw e;
        }
    }

    /** A container's upper dir as a new layer on its image's top layer, and an image of the image's layers plus it. */
    ImageRecord commit(StoreTxn txn, ContainerRecord container, List<String> names, ImageConfig config, String author,
                       String comment, Path tmp) throws IOException {
        ImageRecord base = txn.image(container.image()).orElseThrow(() -> ImageNames.notFound(container.image()));
        JsonObject doc = BigData.read(layout, base.id(), "sha256:" + base.id()).map(ImageInfos::parse).orElse(new JsonObject());
        Path tar = Files.createTempFile(tmp, "commit-", ".tar");
        String diffId;
        Path changes = layers.driver().diffDir(container.layer());
        if (layers.driver() instanceof VfsDriver) {
            // a vfs layer is a full copy: its changes against the image's top layer make the upper dir
            changes = Files.createTempDirectory(tmp, "changes-");
            CopyDiff.write(base.topLayer().isEmpty() ? Files.createTempDirectory(tmp, "empty-") : layers.driver().diffDir(base.topLayer()),
                    layers.driver().diffDir(container.layer()), changes);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
            diffId = LayerCodec.writeChanges(changes, out);
        }
        List<LayerRecord> chain = chain(txn, base.topLayer());
        String parent = base.topLayer();
        String id = ImageCommitter.chainId(parent, diffId);
        LayerRecord layer = txn.layer(id).filter(l -> !l.incomplete()).orElse(null);
        boolean made = layer == null;
        if (made) {
            txn.layer(id).ifPresent(dead -> layers.delete(txn, dead.id()));
            layer = committer.createLayer(txn, id, parent, tar, diffId);
        }
        try {
            Instant now = Instant.now();
            doc.put("created", GoTimes.rfc3339Nano(now));
            if (author != null && !author.isEmpty()) {
                doc.put("author", author);
            }
            if (config != null) {
                doc.put("config", ImageInfos.configJson(config));
            }
            List<String> diffIds = new ArrayList<>();
            for (LayerRecord l : chain) {
                diffIds.add(l.diffDigest());
            }
            diffIds.add(diffId);
            doc.put("rootfs", rootfs(diffIds));
            List<Object> hist = new ArrayList<>();
            Object old = doc.raw("history");
            if (old instanceof List<?> l) {
                hist.addAll(l);
            }
            hist.add(history(now, null, author, comment));
            doc.put("history", hist);
            List<LayerRecord> all = new ArrayList<>(chain);
            all.add(layer);
            return store(txn, doc, all, names);
        } catch (IOException | RuntimeException e) {
            if (made && !layers.inUse(txn, id)) {
                layers.delete(txn, id);
            }
            throw e;
        }
    }

    private List<LayerRecord> chain(StoreTxn txn, String top) {
        List<LayerRecord> out = new ArrayList<>();
        String id = top;
        while (!id.isEmpty()) {
            String current = id;
            LayerRecord l = txn.layer(current).orElseThrow(() -> new BerthException(ErrorCode.IMAGE_INVALID, "layer " + current + " is missing"));
            out.add(l);
            id = l.parent();
        }
        Collections.reverse(out);
        return out;
    }

    /** The image record for a config and its layers, with an OCI manifest of uncompressed layers (podman's for local images). */
    private ImageRecord store(StoreTxn txn, JsonObject doc, List<LayerRecord> chain, List<String> names) throws IOException {
        byte[] config = Json.writeBytes(doc.asMap());
        Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, Digests.of(config), config.length);
        List<Descriptor> ls = new ArrayList<>();
        for (LayerRecord l : chain) {
            ls.add(new Descriptor(MediaTypes.OCI_LAYER, l.diffDigest(), l.diffSize()));
        }
        RawManifest manifest = ManifestBuilder.build(MediaTypes.OCI_MANIFEST, configDesc, ls);
        List<String> diffIds = chain.stream().map(LayerRecord::diffDigest).toList();
        ImageCommitter.Parsed p = new ImageCommitter.Parsed(manifest, ImageManifest.parse(manifest.bytes(), manifest.mediaType()),
                config, Digests.hex(configDesc.digest()), diffIds);
        return committer.putImage(txn, p, chain.isEmpty() ? "" : chain.get(chain.size() - 1).id(), names);
    }

    private static Map<String, Object> rootfs(List<String> diffIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "layers");
        m.put("diff_ids", new ArrayList<>(diffIds));
        return m;
    }

    private static Map<String, Object> history(Instant created, String createdBy, String author, String comment) {
        JsonObject h = new JsonObject();
        h.put("created", GoTimes.rfc3339Nano(created));
        if (createdBy != null) {
            h.put("created_by", createdBy);
        }
        if (author != null && !author.isEmpty()) {
            h.put("author", author);
        }
        if (comment != null && !comment.isEmpty()) {
            h.put("comment", comment);
        }
        return h.asMap();
    }
}
