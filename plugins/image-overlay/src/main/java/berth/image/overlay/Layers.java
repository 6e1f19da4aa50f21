package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Creating and deleting layers as containers/storage does: the record goes into layers.json flagged
 * {@code incomplete} before any file is made, and the flag is cleared only when the layer is whole,
 * so a process killed in between leaves a record the next open deletes.
 */
final class Layers {
    private final LayerDriver driver;

    Layers(LayerDriver driver) {
        this.driver = driver;
    }

    LayerDriver driver() {
        return driver;
    }

    /** Records a new layer (incomplete) and makes its directories; fill it, then {@link #complete}. */
    LayerRecord begin(StoreTxn txn, String id, String parent, List<String> names) {
        if (txn.layer(id).isPresent()) {
            throw new BerthException(ErrorCode.INTERNAL, "layer " + id + " exists already");
        }
        LayerRecord layer = LayerRecord.create(id, parent, names);
        layer.setIncomplete(true);
        txn.layers().add(layer);
        txn.saveLayers();
        try {
            driver.create(id, parent == null ? "" : parent);
        } catch (RuntimeException e) {
            delete(txn, id);
            throw e;
        }
        return layer;
    }

    void complete(StoreTxn txn, LayerRecord layer) {
        layer.setIncomplete(false);
        txn.saveLayers();
    }

    /** Deletes a layer's files, tar-split, mount record and record; saves layers.json. */
    void delete(StoreTxn txn, String id) {
        driver.remove(id);
        try {
            Files.deleteIfExists(txn.layout.tarSplit(id));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot delete the tar-split of layer " + id + ": " + e.getMessage(), e);
        }
        if (txn.mountRecord(id).isPresent()) {
            txn.setMount(id, "", 0);
            txn.saveMounts();
        }
        txn.layers().removeIf(l -> l.id().equals(id));
        txn.saveLayers();
    }

    /** Whether a layer is some other layer's parent, or an image's or container's layer. */
    boolean inUse(StoreTxn txn, String id) {
        return txn.layers().stream().anyMatch(l -> id.equals(l.parent()))
                || txn.images().stream().anyMatch(i -> id.equals(i.topLayer()))
                || txn.containers().stream().anyMatch(c -> id.equals(c.layer()));
    }

    /** Deletes a layer and then each parent that nothing uses any more, as an image removal does. */
    void deleteChain(StoreTxn txn, String top) {
        String id = top;
        while (id != null && !id.isEmpty() && !inUse(txn, id)) {
            String parent = txn.layer(id).map(LayerRecord::parent).orElse("");
            delete(txn, id);
            id = parent;
        }
    }

    /**
     * What a killed process left: layers still flagged incomplete (c/storage deletes them on load,
     * under the lock, as here) and pull temp files. Returns the ids deleted.
     */
    List<String> cleanup(StoreTxn txn, StoreLayout layout) {
        List<String> gone = txn.layers().stream().filter(LayerRecord::incomplete).map(LayerRecord::id).toList();
        for (String id : gone) {
            delete(txn, id);
        }
        PullTemp.cleanup(layout.pullTemp());
        if (driver.stagingRoot() != null) {
            PullTemp.cleanup(driver.stagingRoot(), layout.stagingGuard(), true);
        }
        return gone;
    }
}
