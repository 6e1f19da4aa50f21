package berth.image.overlay;

import berth.kernel.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's records under its locks, for one operation. Locks are taken in containers/storage's
 * order (layers, images, containers, mount points) so that berth and podman never wait on each
 * other in a cycle; each file written has its lock touched, so podman processes reload it. Each
 * file is read when the operation first asks for its records (a container's mount never parses
 * images.json, which grows with every image).
 */
final class StoreTxn implements AutoCloseable {
    final StoreLayout layout;
    private List<LayerRecord> layers;
    private List<JsonObject> mounts;
    private List<ImageRecord> images;
    private List<ContainerRecord> containers;
    private final List<LockFile> held = new ArrayList<>();
    private final LockFile layersLock;
    private final LockFile mountsLock;
    private final LockFile imagesLock;
    private final LockFile containersLock;

    private StoreTxn(StoreLayout layout) {
        this.layout = layout;
        try {
            layersLock = hold(LockFile.lock(layout.layersLock()));
            imagesLock = hold(LockFile.lock(layout.imagesLock()));
            containersLock = hold(LockFile.lock(layout.containersLock()));
            // last, as c/storage takes it (a layer Save inside a container deletion holds the other three)
            mountsLock = hold(LockFile.lock(layout.mountpointsLock()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static StoreTxn begin(StoreLayout layout) {
        return new StoreTxn(layout);
    }

    private LockFile hold(LockFile l) {
        held.add(l);
        return l;
    }

    List<LayerRecord> layers() {
        if (layers == null) {
            layers = new ArrayList<>();
            for (JsonObject j : RecordFile.read(layout.layersJson())) {
                layers.add(new LayerRecord(j));
            }
        }
        return layers;
    }

    List<JsonObject> mounts() {
        if (mounts == null) {
            mounts = RecordFile.read(layout.mountpointsJson());
        }
        return mounts;
    }

    List<ImageRecord> images() {
        if (images == null) {
            images = new ArrayList<>();
            for (JsonObject j : RecordFile.read(layout.imagesJson())) {
                images.add(new ImageRecord(j));
            }
        }
        return images;
    }

    List<ContainerRecord> containers() {
        if (containers == null) {
            containers = new ArrayList<>();
            for (JsonObject j : RecordFile.read(layout.containersJson())) {
                containers.add(new ContainerRecord(j));
            }
        }
        return containers;
    }

    Optional<LayerRecord> layer(String id) {
        return layers().stream().filter(l -> l.id().equals(id)).findFirst();
    }

    Optional<ImageRecord> image(String id) {
        return images().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    Optional<ContainerRecord> container(String idOrName) {
        for (ContainerRecord c : containers()) {
            if (c.id().equals(idOrName)) {
                return Optional.of(c);
            }
        }
        return containers.stream().filter(c -> c.json.strings("names").contains(idOrName)).findFirst();
    }

    /** The mount count of a layer, from mountpoints.json. */
    int mountCount(String layerId) {
        return mountRecord(layerId).map(m -> m.integer("count", 0)).orElse(0);
    }

    Optional<JsonObject> mountRecord(String layerId) {
        return mounts().stream().filter(m -> layerId.equals(m.str("id"))).findFirst();
    }

    void setMount(String layerId, String path, int count) {
        mounts().removeIf(m -> layerId.equals(m.str("id")));
        if (count > 0) {
            mounts.add(new JsonObject().put("id", layerId).put("path", path).put("count", (long) count));
        }
    }

    void saveLayers() {
        List<JsonObject> out = new ArrayList<>();
        for (LayerRecord l : layers()) {
            out.add(l.json);
        }
        RecordFile.write(layout.layersJson(), out);
        layersLock.touch();
    }

    void saveMounts() {
        RecordFile.write(layout.mountpointsJson(), mounts());
        mountsLock.touch();
    }

    void saveImages() {
        List<JsonObject> out = new ArrayList<>();
        for (ImageRecord i : images()) {
            out.add(i.json);
        }
        RecordFile.write(layout.imagesJson(), out);
        imagesLock.touch();
    }

    void saveContainers() {
        List<JsonObject> out = new ArrayList<>();
        for (ContainerRecord c : containers()) {
            out.add(c.json);
        }
        RecordFile.write(layout.containersJson(), out);
        containersLock.touch();
    }

    @Override
    public void close() {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).close();
        }
        held.clear();
    }
}
