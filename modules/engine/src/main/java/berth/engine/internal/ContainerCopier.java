package berth.engine.internal;

import berth.engine.CopyRequest;
import berth.engine.PathStat;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Volume;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * {@code berth cp} (podman's cp.go and libpod's container_copy): copies between a host path, or a
 * tar stream, and a container's path, running or not. A running container is reached through
 * {@code /proc/PID/root}, which shows its mounts; a stopped one through its root filesystem, mounted
 * for the copy when it comes from an image, with its volumes and bind mounts resolved as the
 * container would see them. Every container path is resolved inside the container's root
 * ({@link ContainerTree}); what comes out of a container is unpacked inside the host destination,
 * so links in it never reach the host's other files.
 */
public final class ContainerCopier {
    private final EngineContext ctx;

    public ContainerCopier(EngineContext ctx) {
        this.ctx = ctx;
    }

    public void copy(Container c, CopyRequest r, InputStream stdin, OutputStream stdout) {
        Opened o = open(c);
        try {
            if (r.intoContainer()) {
                into(o, r, stdin);
            } else {
                outOf(o, r, stdout);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "copying " + (r.intoContainer() ? "to" : "from") + " container "
                    + c.name() + ": " + e.getMessage(), e);
        } finally {
            close(o);
        }
    }

    /**
     * What {@code path} is in the container, a last link not followed (the Docker API's archive
     * HEAD, and the header of its GET).
     */
    public PathStat stat(Container c, String path) {
        Opened o = open(c);
        try {
            ContainerTree.Resolved r = o.tree().resolve(path, false);
            if (!r.exists()) {
                throw notInContainer(path, o.c());
            }
            Map<String, Object> a = Files.readAttributes(r.hostPath(), "unix:mode,size,lastModifiedTime,isSymbolicLink,isDirectory",
                    LinkOption.NOFOLLOW_LINKS);
            String link = (Boolean) a.get("isSymbolicLink") ? Files.readSymbolicLink(r.hostPath()).toString() : "";
            return new PathStat(ContainerTree.baseName(r.containerPath()), (Long) a.get("size"), (Integer) a.get("mode"),
                    ((FileTime) a.get("lastModifiedTime")).toInstant(), link, (Boolean) a.get("isDirectory"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "container " + c.name() + ": cannot stat " + path + ": " + e.getMessage(), e);
        } finally {
            close(o);
        }
    }

    /** The container's tree for this copy, and whether its root filesystem was mounted for it. */
    private record Opened(Container c, ContainerTree tree, boolean mountedImage) {
    }

    private Opened open(Container c0) {
        return ctx.withLock(c0.id(), () -> {
            Container c = ctx.state().container(c0.id());
            if (c.status().isRunningOrPaused() && c.state().pid() > 0 && Files.isDirectory(Path.of("/proc", "" + c.state().pid(), "root"))) {
                return new Opened(c, ContainerTree.of(Path.of("/proc", "" + c.state().pid(), "root")), false);
            }
            boolean fromImage = c.config().fromImage();
            Path root = fromImage ? ctx.plugins().images().mount(c.id()) : Path.of(c.config().rootfs());
            try {
                return new Opened(c, new ContainerTree(root, mounts(c)), fromImage);
            } catch (RuntimeException e) {
                if (fromImage) {
                    ctx.plugins().images().unmount(c.id(), false);
                }
                throw e;
            }
        });
    }

    /** A stopped container's volumes and bind mounts, where the copy finds them (libpod's resolveCopyTarget). */
    private List<ContainerTree.Mount> mounts(Container c) {
        List<ContainerTree.Mount> l = new ArrayList<>();
        List<Volume> volumes = null;
        for (MountSpec m : c.config().mounts()) {
            if (m.type().equals(VolumeSpecs.TYPE)) {
                if (volumes == null) {
                    volumes = ctx.state().allVolumes();
                }
                for (Volume v : volumes) {
                    if (v.mountpoint().equals(m.source())) {
                        VolumeHostMounts.mount(v); // a tmpfs or device volume holds its files only while mounted
                    }
                }
                l.add(new ContainerTree.Mount(ContainerTree.join(ContainerTree.split(m.destination())), Path.of(m.source())));
            } else if (m.type().equals("bind")) {
                l.add(new ContainerTree.Mount(ContainerTree.join(ContainerTree.split(m.destination())), Path.of(m.source())));
            }
        }
        return l;
    }

    private void close(Opened o) {
        if (o.mountedImage()) {
            // counted: a start that mounted the root meanwhile keeps it mounted
            ctx.withLock(o.c().id(), () -> ctx.plugins().images().unmount(o.c().id(), false));
        }
    }

    // ------------------------------------------------------------------ host → container

    private void into(Opened o, CopyRequest r, InputStream stdin) throws IOException {
        ContainerTree tree = o.tree();
        Path hostSource = null;
        boolean hostDir = false;
        if (!r.streamed()) {
            hostSource = realHostPath(r.hostPath());
            hostDir = Files.isDirectory(hostSource);
        }
        ContainerTree.Resolved dest = tree.resolve(r.containerPath(), true);
        boolean toParent = false;
        String destBase = ContainerTree.baseName(dest.containerPath());
        if (!dest.exists()) {
            if (r.containerPath().endsWith("/")) {
                throw notInContainer(r.containerPath(), o.c());
            }
            if (r.streamed()) {
                throw invalid("destination must be a directory when copying from stdin");
            }
            ContainerTree.Resolved parent = tree.resolve(ContainerTree.parent(dest.containerPath()), true);
            if (!parent.isDirectory()) {
                throw notInContainer(r.containerPath(), o.c());
            }
            dest = parent;
            toParent = true;
        }
        boolean destDir = dest.isDirectory();
        TreeArchiver.Owner owner = r.archive() ? containerUser(o) : null;
        TreeExtractor.Options put = new TreeExtractor.Options(owner, r.overwrite(), Map.of());
        if (r.streamed()) {
            if (!destDir) {
                throw invalid("destination must be a directory when copying from stdin");
            }
            Path tmp = Files.createTempFile(ctx.config().tmpDir(), "cp-stdin", ".tar");
            try {
                Files.copy(stdin, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (InputStream in = tarStream(tmp)) {
                    TreeExtractor.extract(tree, dest.containerPath(), in, put);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return;
        }
        if (hostDir && !destDir) {
            throw invalid("destination must be a directory when copying a directory");
        }
        String into;
        String topName;
        if (toParent) {
            into = dest.containerPath();
            topName = destBase; // a new name: the source becomes it, a directory's content included
        } else if (destDir) {
            into = dest.containerPath();
            topName = hostDir && contentOnly(r.hostPath()) ? null : baseName(hostSource);
        } else {
            into = ContainerTree.parent(dest.containerPath());
            topName = destBase; // a file over a file
        }
        Path src = hostSource;
        pipe(out -> TreeArchiver.write(ContainerTree.of(Path.of("/")), src.toString(), topName, null, out),
                in -> TreeExtractor.extract(tree, into, in, put));
    }

    // ------------------------------------------------------------------ container → host

    private void outOf(Opened o, CopyRequest r, OutputStream stdout) throws IOException {
        ContainerTree tree = o.tree();
        ContainerTree.Resolved src = tree.resolve(r.containerPath(), true);
        if (!src.exists()) {
            throw notInContainer(r.containerPath(), o.c());
        }
        boolean srcDir = src.isDirectory();
        String srcTop = srcDir && contentOnly(r.containerPath()) ? null : ContainerTree.baseName(src.containerPath());
        TreeArchiver.Owner owner = containerUser(o);
        if (r.streamed()) {
            TreeArchiver.write(tree, src.containerPath(), srcTop, owner, stdout);
            stdout.flush();
            return;
        }
        Path given = Path.of(r.hostPath()).toAbsolutePath();
        Path destDir;
        String topName;
        if (Files.exists(given)) {
            Path real = given.toRealPath();
            if (Files.isDirectory(real)) {
                destDir = real;
                topName = srcTop;
            } else if (srcDir) {
                throw invalid("destination must be a directory when copying a directory");
            } else {
                destDir = real.getParent();
                topName = real.getFileName().toString();
            }
        } else {
            if (r.hostPath().endsWith("/") || given.getParent() == null || !Files.isDirectory(given.getParent())) {
                throw notFound("\"" + r.hostPath() + "\" could not be found on the host");
            }
            destDir = given.getParent().toRealPath();
            topName = given.getFileName().toString();
        }
        // unpacked inside the destination: a link the container made can lead nowhere else on the host
        ContainerTree host = ContainerTree.of(destDir);
        TreeExtractor.Options put = new TreeExtractor.Options(hostUser(), r.overwrite(), Map.of());
        pipe(out -> TreeArchiver.write(tree, src.containerPath(), topName, owner, out),
                in -> TreeExtractor.extract(host, "/", in, put));
    }

    // ------------------------------------------------------------------ helpers

    /** podman's rule: a source ending in "/." copies a directory's content, not the directory. */
    private static boolean contentOnly(String path) {
        return path.equals(".") || path.endsWith("/.");
    }

    private static String baseName(Path p) {
        Path f = p.getFileName();
        return f == null ? "/" : f.toString();
    }

    private static Path realHostPath(String path) {
        try {
            return Path.of(path).toAbsolutePath().toRealPath(); // a host link is followed, as podman's cp does
        } catch (IOException e) {
            throw notFound("\"" + path + "\" could not be found on the host");
        }
    }

    /** The container's primary user, who owns what is copied in (podman's --archive) and out. */
    private TreeArchiver.Owner containerUser(Opened o) {
        UserResolver.ResolvedUser u = UserResolver.resolve(o.tree().root(), o.c().config().user(), o.c().name());
        return new TreeArchiver.Owner(u.uid(), u.gid());
    }

    /** This process's user: files copied out belong to whoever ran the copy, as podman's. */
    private static TreeArchiver.Owner hostUser() throws IOException {
        Path self = Path.of("/proc/self");
        return new TreeArchiver.Owner((Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid"));
    }

    /** A tar, perhaps gzip-compressed (podman takes compressed ones too); anything else is refused as podman does. */
    private static InputStream tarStream(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new BufferedInputStream(new GzipCompressorInputStream(in));
        }
        in.mark(512);
        byte[] header = in.readNBytes(512);
        in.reset();
        if (header.length < 512 || !TarArchiveInputStream.matches(header, header.length)) {
            in.close();
            throw invalid("source must be a (compressed) tar archive when copying from stdin");
        }
        return in;
    }

    interface TarWriter {
        void write(OutputStream out) throws IOException;
    }

    interface TarReader {
        void read(InputStream in) throws IOException;
    }

    /** Runs the writer on a thread of its own, feeding the reader through a pipe (podman's two goroutines). */
    private static void pipe(TarWriter writer, TarReader reader) throws IOException {
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
        Throwable[] failed = {null};
        Thread t = new Thread(() -> {
            try (out) {
                writer.write(out);
            } catch (IOException | RuntimeException e) {
                failed[0] = e;
            }
        }, "berth-cp-archive");
        t.setDaemon(true);
        t.start();
        Throwable readFailure = null;
        try {
            reader.read(in);
            in.transferTo(OutputStream.nullOutputStream()); // the writer must never block on a full pipe
        } catch (IOException | RuntimeException e) {
            readFailure = e;
        } finally {
            in.close(); // a writer still writing fails at once instead of waiting for room
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the reader's refusal is the cause; else the writer's failure, which the reader saw only as a stream cut short
        Throwable cause = readFailure instanceof BerthException ? readFailure : failed[0] != null ? failed[0] : readFailure;
        if (cause instanceof BerthException b) {
            throw b;
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
    }

    private static BerthException notInContainer(String path, Container c) {
        return notFound("\"" + path + "\" could not be found on container " + c.name());
    }

    private static BerthException notFound(String msg) {
        return new BerthException(ErrorCode.NO_SUCH_FILE, msg);
    }

    private static BerthException invalid(String msg) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, msg);
    }
}
