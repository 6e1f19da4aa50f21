package berth.image.overlay;

import berth.image.support.archive.DockerArchive;
import berth.image.support.archive.DockerArchiveDestination;
import berth.image.support.archive.DockerArchiveImage;
import berth.image.support.archive.OciArchiveDestination;
import berth.image.support.archive.OciArchiveSource;
import berth.image.support.archive.OciLayoutDestination;
import berth.image.support.archive.OciLayoutSource;
import berth.image.support.archive.TransportRef;
import berth.image.support.manifest.MediaTypes;
import berth.image.support.manifest.Platform;
import berth.image.support.reference.ImageReference;
import berth.image.support.reference.RegistriesConf;
import berth.image.support.reference.ShortNames;
import berth.image.support.registry.RegistryClient;
import berth.image.support.registry.RegistryDestination;
import berth.image.support.registry.RegistryException;
import berth.image.support.registry.RegistryOptions;
import berth.image.support.registry.MirroredSource;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.ImageSource;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.ImageConfig;
import berth.kernel.model.ImageInfo;
import berth.kernel.model.ArchiveFormat;
import berth.kernel.spi.image.ImageStoreConfig;
import berth.kernel.model.PullListener;
import berth.kernel.model.PullOptions;
import berth.kernel.model.PushOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pull, load, save, push, import and commit: images in and out of the store through image-support's transports. */
final class Transfers {
    private final ImageStoreConfig config;
    private final StoreLayout layout;
    private final ImageCommitter committer;
    private final ImageExporter exporter;
    private final LocalImages local;

    Transfers(ImageStoreConfig config, StoreLayout layout, Layers layers) {
        this.config = config;
        this.layout = layout;
        this.committer = new ImageCommitter(layout, layers);
        this.exporter = new ImageExporter(layers);
        this.local = new LocalImages(layout, layers, committer);
    }

    private ImageInfo info(ImageRecord image) {
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            return ImageInfos.of(txn, txn.image(image.id()).orElse(image));
        }
    }

    private static Platform platform(PullOptions o) {
        Platform host = Platform.host();
        return new Platform(o.os() == null ? host.os() : o.os(), o.arch() == null ? host.architecture() : o.arch(),
                o.variant() == null ? host.variant() : o.variant());
    }

    ImageInfo pull(String reference, PullOptions options) {
        TransportRef ref;
        try {
            ref = TransportRef.parse(reference);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, e.getMessage(), e);
        }
        Platform platform = platform(options);
        PullListener l = options.listener();
        try {
            if (ref instanceof TransportRef.Registry r) {
                return pullFromRegistry(r.reference(), options);
            }
            if (ref instanceof TransportRef.DockerArchive d) {
                try (DockerArchive archive = DockerArchive.open(d.path(), tmpRoot())) {
                    DockerArchiveImage image = archive.choose(d.ref());
                    List<String> names = d.ref() != null && !d.ref().startsWith("@") ? List.of(d.ref()) : names(image.repoTags());
                    return info(store(archive.source(image), platform, names, l));
                }
            }
            if (ref instanceof TransportRef.OciArchive o) {
                try (OciArchiveSource src = OciArchiveSource.open(o.path(), o.ref(), tmpRoot())) {
                    return info(store(src, platform, ociNames(o.ref()), l));
                }
            }
            TransportRef.OciDir o = (TransportRef.OciDir) ref;
            try (OciLayoutSource src = new OciLayoutSource(o.path(), o.ref())) {
                return info(store(src, platform, ociNames(o.ref()), l));
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, reference + ": " + e.getMessage(), e);
        }
    }

    /** Each short-name candidate in turn (its mirrors, then the registry itself: MirroredSource), until one has the image. */
    private ImageInfo pullFromRegistry(String reference, PullOptions options) {
        RegistriesConf conf;
        try {
            conf = RegistriesConf.load(config.registriesConf());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "registries configuration: " + e.getMessage(), e);
        }
        List<ImageReference> candidates = new ShortNames(conf).candidates(reference);
        List<String> failures = new ArrayList<>();
        boolean allNotFound = true;
        for (ImageReference candidate : candidates) {
            options.listener().message("Trying to pull " + candidate + "...");
            try (MirroredSource src = MirroredSource.of(candidate, conf, options.tlsVerify(), options.authFile(), options.credentials())) {
                berth.kernel.trace.Trace.mark("pull: registry source made");
                return info(store(src, platform(options), List.of(candidate.toString()), options.listener()));
            } catch (RegistryException e) {
                allNotFound &= e.isNotFound();
                failures.add(candidate + ": " + e.getMessage());
            } catch (IOException e) {
                allNotFound = false;
                failures.add(candidate + ": " + e.getMessage());
            }
        }
        String detail = String.join("; ", failures);
        if (allNotFound) {
            throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, reference + ": image not known: " + detail);
        }
        throw new BerthException(ErrorCode.IMAGE_TRANSPORT, "pulling " + reference + ": " + detail);
    }

    private ImageRecord store(ImageSource src, Platform platform, List<String> names, PullListener l) throws IOException {
        l.message("Getting image source signatures");
        return committer.store(src, platform, names, l);
    }

    /** RepoTags as full names ({@code busybox:latest} is {@code docker.io/library/busybox:latest}). */
    private static List<String> names(List<String> repoTags) {
        List<String> out = new ArrayList<>();
        for (String t : repoTags) {
            out.add(ImageReference.parse(t).toString());
        }
        return out;
    }

    /** An OCI ref name that is an image name names the image; a bare tag or none leaves it unnamed. */
    private static List<String> ociNames(String refName) {
        if (refName == null || refName.startsWith("@") || !refName.contains("/") && !refName.contains(":")) {
            return List.of();
        }
        try {
            return List.of(ImageReference.parse(refName).toString());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Path tmpRoot() throws IOException {
        Path p = layout.graphRoot().resolve("tmp");
        Files.createDirectories(p);
        return p;
    }

    List<ImageInfo> load(Path archive, PullOptions options) {
        berth.image.support.archive.ArchiveFormat format;
        try {
            format = berth.image.support.archive.ArchiveFormats.detect(archive);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, e.getMessage(), e);
        }
        Platform platform = platform(options);
        List<ImageInfo> out = new ArrayList<>();
        try {
            if (format == berth.image.support.archive.ArchiveFormat.DOCKER_ARCHIVE) {
                try (DockerArchive a = DockerArchive.open(archive, tmpRoot())) {
                    for (DockerArchiveImage image : a.images()) {
                        out.add(info(store(a.source(image), platform, names(image.repoTags()), options.listener())));
                    }
                }
            } else {
                try (OciArchiveSource src = OciArchiveSource.open(archive, null, tmpRoot())) {
                    String refName = src.entry().annotations().get(OciLayoutSource.REF_NAME);
                    out.add(info(store(src, platform, ociNames(refName), options.listener())));
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "loading " + archive + ": " + e.getMessage(), e);
        }
        return out;
    }

    void save(List<String> references, Path destination, ArchiveFormat format) {
        List<ImageExporter.Snapshot> snaps = new ArrayList<>();
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            for (String r : references) {
                ImageRecord image = ImageNames.require(txn, r);
                snaps.add(exporter.snapshot(txn, image));
            }
        }
        try (PullTemp temp = PullTemp.create(layout.pullTemp())) {
            ImageDestination dest = switch (format) {
                case DOCKER_ARCHIVE -> new DockerArchiveDestination(destination, temp.dir());
                case OCI_ARCHIVE -> new OciArchiveDestination(destination, temp.dir());
                case OCI_DIR -> new OciLayoutDestination(destination);
            };
            try (dest) {
                for (int i = 0; i < snaps.size(); i++) {
                    ImageExporter.Snapshot s = snaps.get(i);
                    String type = format == ArchiveFormat.DOCKER_ARCHIVE ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
                    exporter.write(layout, s, dest, type, false, saveTags(references.get(i), s, format), temp.dir(), PullListener.NONE);
                }
                dest.commit();
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_TRANSPORT, "saving " + String.join(", ", references) + " to " + destination
                    + ": " + e.getMessage(), e);
        }
    }

    /** docker-archive: every name (RepoTags); OCI: the name the user gave, as podman's ref.name. */
    private static List<String> saveTags(String reference, ImageExporter.Snapshot s, ArchiveFormat format) {
        if (format == ArchiveFormat.DOCKER_ARCHIVE) {
            return s.names();
        }
        if (s.names().isEmpty() || s.imageId().startsWith(reference.replace("sha256:", ""))) {
            return s.names().isEmpty() ? List.of() : List.of(s.names().get(0));
        }
        return List.of(s.names().stream().filter(n -> n.contains(reference)).findFirst().orElse(s.names().get(0)));
    }

    void push(String reference, String destination, PushOptions options) {
        ImageExporter.Snapshot snap;
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            ImageRecord image = ImageNames.require(txn, reference);
            snap = exporter.snapshot(txn, image);
        }
        String target = destination != null ? destination : nameMeant(snap.names(), reference);
        if (target == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "pushing " + reference + ": the image has no name: give a destination");
        }
        if (target.startsWith("docker://")) {
            target = target.substring("docker://".length());
        }
        ImageReference ref = ImageReference.parse(target);
        String type = switch (options.format() == null ? "" : options.format()) {
            case "oci" -> MediaTypes.OCI_MANIFEST;
            case "v2s2" -> MediaTypes.DOCKER_MANIFEST;
            case "" -> ImageExporter.ownType(snap);
            default -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown manifest format \"" + options.format()
                    + "\": use oci or v2s2");
        };
        try (PullTemp temp = PullTemp.create(layout.pullTemp())) {
            RegistriesConf conf = RegistriesConf.load(config.registriesConf());
            RegistryOptions ro = new RegistryOptions(options.tlsVerify(), options.authFile(), options.credentials(),
                    conf.isInsecure(ref.registry()));
            try (RegistryDestination dest = new RegistryDestination(new RegistryClient(ref.registry(), ref.repository(), ro), ref)) {
                exporter.write(layout, snap, dest, type, true, List.of(ref.tagOrDigest()), temp.dir(), options.listener());
                dest.commit();
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_TRANSPORT, "pushing " + reference + " to " + ref + ": " + e.getMessage(), e);
        }
    }

    /** {@code push NAME} pushes to the name the user gave, not to the image's first name. */
    static String nameMeant(List<String> names, String reference) {
        for (String n : names) {
            if (n.equals(reference) || n.endsWith("/" + reference) || n.endsWith("/" + reference + ":latest")) {
                return n;
            }
        }
        return names.isEmpty() ? null : names.get(0);
    }

    ImageInfo importTarball(Path tarball, String name, ImageConfig imageConfig) {
        List<String> names = name == null || name.isEmpty() ? List.of() : List.of(ImageLookup.normalizeNewName(name));
        if (!Files.isRegularFile(tarball)) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "importing " + tarball + ": no such file");
        }
        try (StoreTxn txn = StoreTxn.begin(layout)) {
            return ImageInfos.of(txn, local.importTarball(txn, tarball, names, imageConfig));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "importing " + tarball + ": " + e.getMessage(), e);
        }
    }

    ImageInfo commit(String containerId, String name, ImageConfig imageConfig, String author, String comment) {
        List<String> names = name == null || name.isEmpty() ? List.of() : List.of(ImageLookup.normalizeNewName(name));
        try (PullTemp temp = PullTemp.create(layout.pullTemp()); StoreTxn txn = StoreTxn.begin(layout)) {
            ContainerRecord c = txn.container(containerId).orElseThrow(() -> new BerthException(ErrorCode.NO_SUCH_CONTAINER,
                    "no container storage for " + containerId + ": container not known"));
            return ImageInfos.of(txn, local.commit(txn, c, names, imageConfig, author, comment, temp.dir()));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.IMAGE_INVALID, "committing container " + containerId + ": " + e.getMessage(), e);
        }
    }
}
