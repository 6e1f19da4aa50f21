package berth.image.overlay;

import java.nio.file.Path;

/**
 * Where containers/storage keeps each file for one driver: {@code <graphRoot>/<driver>-layers},
 * {@code -images}, {@code -containers}, the driver's home {@code <graphRoot>/<driver>}, and the run
 * root's {@code <driver>-layers/mountpoints.json} and {@code <driver>-containers}.
 */
record StoreLayout(Path graphRoot, Path runRoot, String driver) {
    StoreLayout {
        graphRoot = graphRoot.toAbsolutePath().normalize();
        runRoot = runRoot.toAbsolutePath().normalize();
    }

    Path storageLock() {
        return graphRoot.resolve("storage.lock");
    }

    Path driverHome() {
        return graphRoot.resolve(driver);
    }

    Path layersDir() {
        return graphRoot.resolve(driver + "-layers");
    }

    Path layersJson() {
        return layersDir().resolve("layers.json");
    }

    Path layersLock() {
        return layersDir().resolve("layers.lock");
    }

    Path tarSplit(String layerId) {
        return layersDir().resolve(layerId + ".tar-split.gz");
    }

    Path imagesDir() {
        return graphRoot.resolve(driver + "-images");
    }

    Path imagesJson() {
        return imagesDir().resolve("images.json");
    }

    Path imagesLock() {
        return imagesDir().resolve("images.lock");
    }

    Path imageDataDir(String imageId) {
        return imagesDir().resolve(imageId);
    }

    Path containersDir() {
        return graphRoot.resolve(driver + "-containers");
    }

    Path containersJson() {
        return containersDir().resolve("containers.json");
    }

    Path containersLock() {
        return containersDir().resolve("containers.lock");
    }

    Path containerUserdata(String containerId) {
        return containersDir().resolve(containerId).resolve("userdata");
    }

    Path runContainerUserdata(String containerId) {
        return runRoot.resolve(driver + "-containers").resolve(containerId).resolve("userdata");
    }

    Path mountpointsJson() {
        return runRoot.resolve(driver + "-layers").resolve("mountpoints.json");
    }

    Path mountpointsLock() {
        return runRoot.resolve(driver + "-layers").resolve("mountpoints.lock");
    }

    /** Blobs of a pull in progress; anything here when no pull holds the lock is litter from a killed one. */
    Path pullTemp() {
        return graphRoot.resolve("tmp").resolve("berth-pull");
    }

    /** The lock that makes creating and locking a pull's staging directory one step for a cleanup. */
    Path stagingGuard() {
        return graphRoot.resolve("tmp").resolve("berth-staging.lock");
    }
}
