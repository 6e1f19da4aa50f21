package berth.image.overlay;

import berth.support.GoTimes;
import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.BlobFetch;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import berth.kernel.trace.Trace;
import berth.kernel.model.PullListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stores one image from a source as containers/image's storage destination does: the manifest and
 * config first, then the layers missing from the store fetched in parallel (to a locked temp
 * directory, outside the store's locks), then, under the locks, each layer created bottom-up
 * (incomplete until whole) and the image record with its big data. A layer the store has (by
 * chain id, or by diff id or blob digest under another parent) is not fetched. Two processes
 * storing the same image both succeed and the store holds it once: the second finds the layers
 * and the image under the lock and only adds its names.
 */
final class ImageCommitter {
    private static final int FETCH_THREADS = 4;
    private static final int FETCH_ATTEMPTS = 3;

    private final StoreLayout layout;
    private final Layers layers;

    ImageCommitter(StoreLayout layout, Layers layers) {
        this.layout = layout;
        this.layers = layers;
    }

    /** What the source says the image is. */
    record Parsed(RawManifest manifest, ImageManifest image, byte[] config, String imageId, List<String> diffIds) {
    }

    ImageRecord store(ImageSource src, Platform platform, List<String> names, PullListener listener) throws IOException {
        Path stagingRoot = layers.driver().stagingRoot();
        try (PullTemp temp = PullTemp.create(layout.pullTemp());
             PullTemp staging = stagingRoot == null ? null : PullTemp.create(stagingRoot, layout.stagingGuard(), true)) {
            Parsed p = parse(src, platform, temp.dir(), listener);
            Trace.mark("pull: manifest and config read");
            Map<Integer, FetchedLayer> fetched = fetchMissing(src, p, temp.dir(), staging == null ? null : staging.dir(), listener);
            Trace.mark("pull: layers fetched");
            CrashPoints.here("pull:after-fetch");
            listener.message("Writing manifest to image destination");
            try (StoreTxn txn = StoreTxn.begin(layout)) {
                ImageRecord image = commit(txn, p, chainIds(p.diffIds()), fetched, names, temp.dir());
                Trace.mark("pull: committed");
                return image;
            }
        }
    }

    Parsed parse(ImageSource src, Platform platform, Path tmp, PullListener listener) throws IOException {
        RawManifest raw = src.manifest(platform);
        Trace.mark("pull: manifest read");
        ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
        listener.message("Copying config " + m.config().digest());
        Path configFile = BlobFetch.fetch(src, m.config(), tmp, PullListener.NONE, FETCH_ATTEMPTS);
        byte[] config = Files.readAllBytes(configFile);
        Files.delete(configFile);
        JsonObject doc = ImageInfos.parse(config);
        JsonObject rootfs = doc.obj("rootfs");
        List<String> diffIds = rootfs == null ? List.of() : rootfs.strings("diff_ids");
        if (diffIds.size() != m.layers().size()) {
            throw new IOException("the image config lists " + diffIds.size() + " diff ids for " + m.layers().size() + " layers");
        }
        for (String d : diffIds) {
            Digests.validate(d);
        }
        return new Parsed(raw, m, config, Digests.hex(m.config().digest()), diffIds);
    }

    /** c/image's layer ids: the bottom layer's is its diff id, each next one hashes the parent's id with its diff id. */
    static List<String> chainIds(List<String> diffIds) {
        List<String> out = new ArrayList<>();
        String last = "";
        for (String diffId : diffIds) {
            last = chainId(last, diffId);
            out.add(last);
        }
        return out;
    }

    static String chainId(String parent, String diffId) {
        return parent.isEmpty() ? Digests.hex(diffId)
                : Digests.hex(Digests.of((parent + "+" + Digests.hex(diffId)).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Fetches, in parallel, the layers the store cannot make from what it has: extracted on the way
     * into {@code staging} when the driver stages layers (null: the blobs, to {@code tmp}).
     */
    private Map<Integer, FetchedLayer> fetchMissing(ImageSource src, Parsed p, Path tmp, Path staging, PullListener listener)
            throws IOException {
        List<String> ids = chainIds(p.diffIds());
        List<Integer> wanted = new ArrayList<>();
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            for (int i = 0; i < ids.size(); i++) {
                Descriptor d = p.image().layers().get(i);
                if (txn.layer(ids.get(i)).isPresent() || reusable(txn, p.diffIds().get(i), d.digest()) != null) {
                    listener.blobDone(d.digest(), true);
                } else {
                    wanted.add(i);
                }
            }
        }
        Map<Integer, FetchedLayer> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(FETCH_THREADS, wanted.size()), r -> {
            Thread t = new Thread(r, "berth-blob-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Integer, Future<FetchedLayer>> futures = new HashMap<>();
            for (int i : wanted) {
                Descriptor d = p.image().layers().get(i);
                String diffId = p.diffIds().get(i);
                String name = "layer-" + i;
                listener.message("Copying blob " + d.digest());
                futures.put(i, pool.submit(() -> staging != null
                        ? LayerStaging.fetch(src, d, diffId, name, staging, tmp, listener, FETCH_ATTEMPTS)
                        : new FetchedLayer.BlobFile(BlobFetch.fetch(src, d, tmp, listener, FETCH_ATTEMPTS))));
            }
            for (Map.Entry<Integer, Future<FetchedLayer>> e : futures.entrySet()) {
                out.put(e.getKey(), e.getValue().get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching layers", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A complete layer with this content (same diff id, or same blob digest), under any parent. */
    private static LayerRecord reusable(StoreTxn txn, String diffId, String blobDigest) {
        for (LayerRecord l : txn.layers()) {
            if (!l.incomplete() && (diffId.equals(l.diffDigest()) || blobDigest.equals(l.compressedDigest()))
                    && Files.exists(txn.layout.tarSplit(l.id()))) {
                return l;
            }
        }
        return null;
    }

    /** Under the store's locks: the missing layers, then the image record. Nothing new remains on failure. */
    ImageRecord commit(StoreTxn txn, Parsed p, List<String> ids, Map<Integer, FetchedLayer> fetched, List<String> names, Path tmp)
            throws IOException {
        List<String> created = new ArrayList<>();
        boolean ok = false;
        try {
            String parent = "";
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (txn.layer(id).filter(LayerRecord::incomplete).isPresent()) {
                    layers.delete(txn, id); // a dead process's leftover (a live one would hold the lock)
                }
                if (txn.layer(id).isEmpty()) {
                    Descriptor d = p.image().layers().get(i);
                    FetchedLayer f = fetched.get(i);
                    if (f == null) {
                        f = new FetchedLayer.BlobFile(reassembleFrom(txn, reusable(txn, p.diffIds().get(i), d.digest()), tmp, d.digest()));
                    }
                    created.add(id);
                    if (f instanceof FetchedLayer.Staged staged) {
                        adoptLayer(txn, id, parent, staged);
                    } else {
                        createLayer(txn, id, parent, ((FetchedLayer.BlobFile) f).blob(), p.diffIds().get(i), false);
                    }
                }
                parent = id;
            }
            CrashPoints.here("pull:before-image-record");
            // the new layers stay incomplete until the image is about to be recorded: a process killed
            // before this point leaves only layers the next open deletes
            for (String id : created) {
                txn.layer(id).ifPresent(l -> l.setIncomplete(false));
            }
            if (!created.isEmpty()) {
                txn.saveLayers();
            }
            ImageRecord image = putImage(txn, p, parent, names);
            ok = true;
            return image;
        } finally {
            if (!ok) {
                for (int i = created.size() - 1; i >= 0; i--) {
                    String id = created.get(i);
                    if (txn.layer(id).isPresent() && !layers.inUse(txn, id)) {
                        layers.delete(txn, id);
                    }
                }
            }
        }
    }

    private Path reassembleFrom(StoreTxn txn, LayerRecord from, Path tmp, String blobDigest) throws IOException {
        if (from == null) {
            throw new IOException("layer " + blobDigest + " was in the store when the pull began, and is gone");
        }
        Path tar = Files.createTempFile(tmp, "layer-", ".tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            LayerCodec.assemble(txn.layout.tarSplit(from.id()), layers.driver().diffDir(from.id()), out);
        }
        return tar;
    }

    /** A new layer from a blob: recorded incomplete, extracted, checked against its diff id, completed. */
    LayerRecord createLayer(StoreTxn txn, String id, String parent, Path blob, String expectedDiffId) throws IOException {
        return createLayer(txn, id, parent, blob, expectedDiffId, true);
    }

    /** As above; {@code complete} false leaves the incomplete flag for the caller to clear (and save). */
    LayerRecord createLayer(StoreTxn txn, String id, String parent, Path blob, String expectedDiffId, boolean complete)
            throws IOException {
        LayerRecord layer = layers.begin(txn, id, parent, List.of());
        try {
            LayerCodec.Extracted x = LayerCodec.extract(blob, layers.driver().diffDir(id), layers.driver().appliesWhiteouts(),
                    txn.layout.tarSplit(id));
            CrashPoints.here("pull:layer-extracted");
            if (expectedDiffId != null && !expectedDiffId.equals(x.diffId())) {
                throw new BerthException(ErrorCode.IMAGE_INVALID, "layer " + id + ": the image config says diff id "
                        + expectedDiffId + ", the layer's content is " + x.diffId());
            }
            return record(txn, layer, x, complete);
        } catch (IOException | RuntimeException e) {
            layers.delete(txn, id);
            throw e;
        }
    }

    /** A new layer from files extracted (and checked) while they downloaded: recorded incomplete, moved in; the caller completes it. */
    private void adoptLayer(StoreTxn txn, String id, String parent, FetchedLayer.Staged staged) throws IOException {
        LayerRecord layer = layers.begin(txn, id, parent, List.of());
        try {
            layers.driver().adopt(id, staged.diff());
            Files.move(staged.tarSplit(), txn.layout.tarSplit(id), StandardCopyOption.REPLACE_EXISTING);
            CrashPoints.here("pull:layer-extracted");
            record(txn, layer, staged.extracted(), false);
        } catch (IOException | RuntimeException e) {
            layers.delete(txn, id);
            throw e;
        }
    }

    private LayerRecord record(StoreTxn txn, LayerRecord layer, LayerCodec.Extracted x, boolean complete) throws IOException {
        layer.setDigests(x.compressedDigest(), x.compressedSize(), x.diffId(), x.diffSize(), x.compression());
        IdSets.record(layer, layers.driver().diffDir(layer.id()));
        if (complete) {
            layers.complete(txn, layer);
        } else {
            txn.saveLayers(); // the digests, still flagged incomplete
        }
        return layer;
    }

    /** The image record and big data, or the names (and manifest) added to the record the store has. */
    ImageRecord putImage(StoreTxn txn, Parsed p, String topLayer, List<String> names) {
        ImageRecord image = txn.image(p.imageId()).orElse(null);
        if (image == null) {
            JsonObject j = new JsonObject();
            j.put("id", p.imageId());
            j.put("digest", p.manifest().digest());
            j.put("layer", topLayer.isEmpty() ? null : topLayer);
            Map<String, Object> sizes = new java.util.LinkedHashMap<>();
            sizes.put(p.manifest().digest(), new ArrayList<>());
            j.put("metadata", berth.kernel.json.Json.write(Map.of("signatures-sizes", sizes)));
            Instant created = ImageInfos.parseTime(ImageInfos.parse(p.config()).str("created"));
            j.put("created", GoTimes.rfc3339Nano(created == null ? Instant.now() : created));
            image = new ImageRecord(j);
            txn.images().add(image);
            BigData.write(layout, image, "sha256:" + p.imageId(), p.config());
        } else if (!image.topLayer().equals(topLayer)) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "image with ID \"" + p.imageId()
                    + "\" already exists, but uses a different top layer");
        }
        String key = BigData.manifestKey(p.manifest().digest());
        if (!image.bigDataNames().contains(key)) {
            BigData.write(layout, image, key, p.manifest().bytes());
        }
        BigData.write(layout, image, BigData.MANIFEST, p.manifest().bytes());
        // c/image records the manifest's signatures (none here) under signature-HEX, even when empty
        String signatures = "signature-" + Digests.hex(p.manifest().digest());
        if (!image.bigDataNames().contains(signatures)) {
            BigData.write(layout, image, signatures, new byte[0]);
        }
        if (image.digest().isEmpty()) {
            image.json.put("digest", p.manifest().digest());
        }
        ImageNames.addNames(txn, image, names);
        txn.saveImages();
        return image;
    }

}
