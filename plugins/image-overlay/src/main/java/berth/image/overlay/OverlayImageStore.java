package berth.image.overlay;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.spi.image.ContainerStorage;
import berth.kernel.model.ImageRemoval;
import berth.kernel.spi.image.ImageStore;
import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The image store in containers-storage's layout, as podman 4.3 (containers/storage 1.43) keeps it:
 * podman and berth share one {@code --root} and see each other's images and containers.
 * Every operation takes the store's lock files for its duration and reads the records afresh, so
 * several processes (berth's and podman's) can use the store at once.
 */
final class OverlayImageStore implements ImageStore {
    private final ImageStoreConfig config;
    private final StoreLayout layout;
    private final Layers layers;
    private final Containers containers;
    private final ImageNames names;
    /** Made on first use: a run from a local image needs none of the transfer classes (~5 ms of its start-up). */
    private Transfers transfers;

    private OverlayImageStore(ImageStoreConfig config, LayerDriver driver) {
        this.config = config;
        this.layout = new StoreLayout(config.graphRoot(), config.runRoot(), driver.name());
        this.layers = new Layers(driver);
        this.containers = new Containers(layout, layers);
        this.names = new ImageNames(layers);
    }

    static OverlayImageStore open(ImageStoreConfig config) {
        String wanted = config.options().getOrDefault("driver", "");
        if (config.options().containsKey("mount_program")) {
            config.warnings().accept("storage option mount_program (" + config.options().get("mount_program")
                    + ") is not supported: layers are mounted with the kernel's overlayfs");
        }
        boolean overlay = switch (wanted) {
            case "overlay", "overlay2" -> true;
            case "vfs" -> false;
            case "" -> overlaySupported();
            default -> throw new BerthException(ErrorCode.CONFIG_INVALID, "unknown storage driver \"" + wanted
                    + "\": the overlay store supports overlay and vfs");
        };
        Path graphRoot = config.graphRoot().toAbsolutePath().normalize();
        LayerDriver driver = overlay ? new OverlayDriver(graphRoot.resolve("overlay")) : new VfsDriver(graphRoot.resolve("vfs"));
        OverlayImageStore store = new OverlayImageStore(config, driver);
        store.prepare();
        return store;
    }

    private static boolean overlaySupported() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(l -> l.trim().endsWith("overlay"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes the directories and lock files, and removes what a killed process left (under the locks). */
    private void prepare() {
        try {
            for (Path d : List.of(layout.graphRoot(), layout.runRoot(), layers.driver().home())) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create the image store in " + layout.graphRoot() + ": " + e.getMessage(), e);
        }
        LockFile.lock(layout.storageLock()).close();
        if (!leftoversPossible()) {
            return;
        }
        withTxn(txn -> {
            List<String> gone = layers.cleanup(txn, layout);
            for (String id : gone) {
                config.warnings().accept("Found incomplete layer \"" + id + "\", deleting it");
            }
            return null;
        });
    }

    /**
     * Whether a killed process may have left something for {@link #prepare} to clean: a layer
     * flagged incomplete, a transfer's temp directory, the staging root. Read without the locks (the files are
     * replaced whole, by rename): most opens find neither and skip the five locks and the parse of
     * layers.json; a leftover seen here is cleaned, as before, under the locks.
     */
    private boolean leftoversPossible() {
        try {
            byte[] json = Files.readAllBytes(layout.layersJson());
            if (contains(json, "\"" + LayerRecord.INCOMPLETE + "\"")) {
                return true;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no layers yet
        } catch (IOException e) {
            return true; // the locked path reports it
        }
        // the staging root goes once empty, so even an empty one is a leftover
        return hasEntries(layout.pullTemp()) || layers.driver().stagingRoot() != null && Files.exists(layers.driver().stagingRoot());
    }

    private static boolean hasEntries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean contains(byte[] haystack, String ascii) {
        byte[] needle = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private synchronized Transfers transfers() {
        if (transfers == null) {
            transfers = new Transfers(config, layout, layers);
        }
        return transfers;
    }

    StoreLayout layout() {
        return layout;
    }

    private <T> T withTxn(Function<StoreTxn, T> body) {
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            return body.apply(txn);
        }
    }

    @Override
    public String driver() {
        return layers.driver().name();
    }

    @Override
    public List<ImageInfo> list() {
        return withTxn(txn -> {
            List<ImageInfo> out = new ArrayList<>();
            for (ImageRecord r : txn.images()) {
                out.add(ImageInfos.of(txn, r));
            }
            out.sort(Comparator.comparing((ImageInfo i) -> i.created() == null ? java.time.Instant.EPOCH : i.created()).reversed());
            return out;
        });
    }

    @Override
    public Optional<ImageInfo> find(String reference) {
        return withTxn(txn -> ImageLookup.find(txn.images(), reference).map(r -> ImageInfos.of(txn, r)));
    }

    @Override
    public ImageInfo pull(String reference, PullOptions options) {
        return transfers().pull(reference, options);
    }

    @Override
    public List<ImageInfo> load(Path archive, PullOptions options) {
        return transfers().load(archive, options);
    }

    @Override
    public void save(List<String> references, Path destination, ArchiveFormat format) {
        transfers().save(references, destination, format);
    }

    @Override
    public void push(String reference, String destination, PushOptions options) {
        transfers().push(reference, destination, options);
    }

    @Override
    public ImageInfo tag(String reference, String newName) {
        String name = ImageLookup.normalizeNewName(newName);
        return withTxn(txn -> {
            ImageRecord image = ImageNames.require(txn, reference);
            ImageNames.addNames(txn, image, List.of(name));
            txn.saveImages();
            return ImageInfos.of(txn, image);
        });
    }

    @Override
    public ImageInfo untag(String reference, String name) {
        return withTxn(txn -> {
            ImageRecord image = ImageNames.require(txn, reference);
            List<String> keep = new ArrayList<>(image.names());
            if (name == null) {
                keep.clear();
            } else {
                String full = ImageLookup.normalizeNewName(name);
                String match = keep.contains(full) ? full : keep.stream()
                        .filter(n -> ImageLookup.nameMatches(n, name)).findFirst().orElse(null);
                if (match == null) {
                    throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, name + ": tag not known");
                }
                keep.remove(match);
            }
            image.setNames(keep);
            txn.saveImages();
            return ImageInfos.of(txn, image);
        });
    }

    @Override
    public ImageRemoval remove(String reference, boolean force) {
        return withTxn(txn -> names.remove(txn, reference, force));
    }

    @Override
    public List<ImageRemoval> prune(boolean all) {
        return withTxn(txn -> {
            List<ImageRemoval> out = new ArrayList<>();
            boolean again = true;
            while (again) { // removing a child can leave its parent image dangling-and-unused
                again = false;
                for (ImageRecord image : List.copyOf(txn.images())) {
                    if ((all || image.names().isEmpty()) && !ImageNames.inUse(txn, image)) {
                        out.add(names.remove(txn, image.id(), true));
                        again = true;
                    }
                }
            }
            return out;
        });
    }

    @Override
    public ImageInfo importTarball(Path tarball, String name, ImageConfig imageConfig) {
        return transfers().importTarball(tarball, name, imageConfig);
    }

    @Override
    public ImageInfo commit(String containerId, String name, ImageConfig imageConfig, String author, String comment) {
        return transfers().commit(containerId, name, imageConfig, author, comment);
    }

    @Override
    public ContainerStorage createContainer(String containerId, String containerName, String imageId) {
        return createContainer(containerId, containerName, imageId, false);
    }

    @Override
    public ContainerStorage createContainer(String containerId, String containerName, String imageId, boolean volatileLayer) {
        return withTxn(txn -> containers.create(txn, containerId, containerName, ImageNames.require(txn, imageId), volatileLayer));
    }

    @Override
    public ContainerStorage createRootfsContainer(String containerId, String containerName) {
        return withTxn(txn -> containers.create(txn, containerId, containerName, null, false));
    }

    @Override
    public Optional<ContainerStorage> container(String containerId) {
        return withTxn(txn -> containers.find(txn, containerId));
    }

    @Override
    public List<ContainerStorage> containers() {
        return withTxn(txn -> txn.containers().stream().map(containers::storage).toList());
    }

    @Override
    public Path mount(String containerId) {
        try (LockFile graph = LockFile.lock(layout.storageLock())) {
            return withTxn(txn -> containers.mount(txn, containerId));
        }
    }

    @Override
    public void unmount(String containerId, boolean force) {
        try (LockFile graph = LockFile.lock(layout.storageLock())) {
            withTxn(txn -> {
                containers.unmount(txn, containerId, force);
                return null;
            });
        }
    }

    @Override
    public void removeContainer(String containerId) {
        try (LockFile graph = LockFile.lock(layout.storageLock())) {
            withTxn(txn -> {
                containers.remove(txn, containerId);
                return null;
            });
        }
    }

    @Override
    public void shutdown() {
        try (LockFile graph = LockFile.lock(layout.storageLock())) {
            withTxn(txn -> {
                for (ContainerRecord c : List.copyOf(txn.containers())) {
                    containers.unmount(txn, c.id(), true);
                }
                return null;
            });
            layers.driver().shutdown();
        }
    }
}
