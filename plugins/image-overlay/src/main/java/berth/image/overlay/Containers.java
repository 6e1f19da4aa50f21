package berth.image.overlay;

import berth.support.GoTimes;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.spi.image.ContainerStorage;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Container storage: containers.json records, their read-write layers, and counted mounts. */
final class Containers {
    private final StoreLayout layout;
    private final Layers layers;

    Containers(StoreLayout layout, Layers layers) {
        this.layout = layout;
        this.layers = layers;
    }

    /** A container's record and writable layer: on top of {@code image}, or an empty base layer when it is null (--rootfs). */
    ContainerStorage create(StoreTxn txn, String containerId, String name, ImageRecord image, boolean volatileLayer) {
        if (txn.container(containerId).isPresent()) {
            throw new BerthException(ErrorCode.INTERNAL, "the container storage of " + containerId + " exists already");
        }
        if (txn.containers().stream().anyMatch(c -> c.json.strings("names").contains(name))) {
            throw new BerthException(ErrorCode.NAME_IN_USE, "the container name \"" + name + "\" is already in use by the storage of another container");
        }
        String layerId = Ids.random();
        // podman names a container's layer NAME-layer
        LayerRecord layer = layers.begin(txn, layerId, image == null ? null : image.topLayer(), List.of(name + "-layer"));
        try {
            Instant now = Instant.now();
            JsonObject meta = new JsonObject();
            meta.put("image-name", image == null || image.names().isEmpty() ? "" : image.names().get(0));
            meta.put("image-id", image == null ? "" : image.id());
            meta.put("name", name);
            meta.put("created-at", now.getEpochSecond());
            Map<String, Object> flags = new LinkedHashMap<>();
            flags.put("MountLabel", "");
            flags.put("ProcessLabel", "");
            if (volatileLayer) {
                flags.put(ContainerRecord.VOLATILE, true); // c/storage's flag: podman mounts it volatile too
            }
            JsonObject rec = new JsonObject();
            rec.put("id", containerId);
            rec.put("names", new ArrayList<>(List.of(name)));
            rec.put("image", image == null ? "" : image.id());
            rec.put("layer", layerId);
            rec.put("metadata", Json.write(meta.asMap()));
            rec.put("created", GoTimes.rfc3339Nano(now));
            rec.put("flags", flags);
            mkdir0700(layout.containerUserdata(containerId));
            mkdir0700(layout.runContainerUserdata(containerId));
            txn.containers().add(new ContainerRecord(rec));
            txn.saveContainers();
            layers.complete(txn, layer);
        } catch (RuntimeException e) {
            txn.containers().removeIf(c -> c.id().equals(containerId));
            layers.delete(txn, layerId);
            deleteDirs(containerId);
            throw e;
        }
        return new ContainerStorage(containerId, name, image == null ? "" : image.id(), layerId, layers.driver().mountPoint(layerId));
    }

    /** The SPI's view of a record; its rootfs is where a mount puts it (the driver knows before mounting). */
    ContainerStorage storage(ContainerRecord c) {
        return new ContainerStorage(c.id(), c.name(), c.image(), c.layer(), layers.driver().mountPoint(c.layer()));
    }

    Optional<ContainerStorage> find(StoreTxn txn, String containerId) {
        return txn.container(containerId).map(this::storage);
    }

    Path mount(StoreTxn txn, String containerId) {
        ContainerRecord c = require(txn, containerId);
        String layerId = c.layer();
        LayerDriver driver = layers.driver();
        int count = txn.mountCount(layerId);
        Path target = driver.mountPoint(layerId);
        // a count without the mount (a reboot kept the run root, an unmount behind the store's back) mounts again
        if (count == 0 || driver instanceof OverlayDriver && !LinuxMounts.isMountPoint(target)) {
            target = driver instanceof OverlayDriver overlay ? overlay.mount(layerId, c.isVolatile()) : driver.mount(layerId);
        }
        txn.setMount(layerId, target.toString(), count + 1);
        txn.saveMounts();
        return target;
    }

    void unmount(StoreTxn txn, String containerId, boolean force) {
        Optional<ContainerRecord> c = txn.container(containerId);
        if (c.isEmpty()) {
            return;
        }
        String layerId = c.get().layer();
        int count = txn.mountCount(layerId);
        int left = force ? 0 : Math.max(0, count - 1);
        if (left == 0) {
            layers.driver().unmount(layerId);
        }
        if (count != left) {
            txn.setMount(layerId, layers.driver().mountPoint(layerId).toString(), left);
            txn.saveMounts();
        }
    }

    void remove(StoreTxn txn, String containerId) {
        Optional<ContainerRecord> c = txn.container(containerId);
        if (c.isEmpty()) {
            return;
        }
        String id = c.get().id();
        unmount(txn, id, true);
        txn.containers().removeIf(r -> r.id().equals(id));
        txn.saveContainers();
        if (txn.layer(c.get().layer()).isPresent()) {
            layers.delete(txn, c.get().layer());
        }
        deleteDirs(id);
    }

    private ContainerRecord require(StoreTxn txn, String containerId) {
        return txn.container(containerId).orElseThrow(() -> new BerthException(ErrorCode.NO_SUCH_CONTAINER,
                "no container storage for " + containerId + ": container not known"));
    }

    private void deleteDirs(String containerId) {
        // podman mounts a tmpfs on userdata/shm of the containers it starts and unmounts it in its cleanup,
        // which a container podman started and berth stopped never had
        Path shm = layout.containerUserdata(containerId).resolve("shm");
        if (Files.isDirectory(shm) && LinuxMounts.isMountPoint(shm)) {
            LinuxMounts.unmount(shm);
        }
        FileTrees.delete(layout.containerUserdata(containerId).getParent());
        FileTrees.delete(layout.runContainerUserdata(containerId).getParent());
    }

    private static void mkdir0700(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
