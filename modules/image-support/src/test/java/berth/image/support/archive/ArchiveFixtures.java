package berth.image.support.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.image.support.manifest.Descriptor;
import berth.image.support.manifest.Digests;
import berth.image.support.manifest.ImageManifest;
import berth.image.support.manifest.Platform;
import berth.image.support.transport.ImageDestination;
import berth.image.support.transport.ImageSource;
import berth.image.support.transport.RawManifest;
import berth.support.FileTrees;
import berth.testsupport.Sys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Real test images and the tools around them: a two-layer busybox image built with umoci (tags
 * {@code t}, and {@code t2} with another config over the same layers), converted with skopeo; a
 * podman with a throw-away vfs store.
 */
final class ArchiveFixtures {
    static final String UMOCI = "/usr/bin/umoci";
    static final String SKOPEO = "/usr/bin/skopeo";
    static final String PODMAN = "/usr/bin/podman";

    private ArchiveFixtures() {
    }

    static void requireTools() {
        Sys.requireTools(UMOCI, SKOPEO, PODMAN, Sys.BUSYBOX);
    }

    /** Builds the OCI layout {@code DIR}: {@code t} = busybox layer + a layer with /hello.txt; {@code t2} = the same layers, another config. */
    static Path buildLayout(Path work) throws IOException {
        requireTools();
        Path layout = work.resolve("layout");
        Sys.ok(UMOCI, "init", "--layout", layout.toString());
        Sys.ok(UMOCI, "new", "--image", layout + ":t");
        Path b1 = work.resolve("bundle1");
        Sys.ok(UMOCI, "unpack", "--image", layout + ":t", b1.toString());
        Files.createDirectories(b1.resolve("rootfs/bin"));
        Files.copy(Path.of(Sys.BUSYBOX), b1.resolve("rootfs/bin/busybox"));
        Sys.ok(UMOCI, "repack", "--image", layout + ":t", b1.toString());
        Path b2 = work.resolve("bundle2");
        Sys.ok(UMOCI, "unpack", "--image", layout + ":t", b2.toString());
        Files.writeString(b2.resolve("rootfs/hello.txt"), "hello from layer two\n");
        Sys.ok(UMOCI, "repack", "--image", layout + ":t", b2.toString());
        Sys.ok(UMOCI, "config", "--image", layout + ":t", "--config.cmd", "/bin/busybox", "--config.cmd", "true");
        Sys.ok(UMOCI, "config", "--image", layout + ":t", "--tag", "t2", "--config.label", "berth.test=second");
        Sys.ok(UMOCI, "gc", "--layout", layout.toString());
        FileTrees.delete(b1);
        FileTrees.delete(b2);
        return layout;
    }

    /** The copy a store's pull does, reduced: every blob is read whole and checked against its descriptor before it is written. */
    static ImageManifest copy(ImageSource src, ImageDestination dst, String tag) throws IOException {
        RawManifest raw = src.manifest(Platform.host());
        assertEquals(raw.digest(), Digests.of(raw.bytes()), "manifest digest of " + src.describe());
        ImageManifest m = ImageManifest.parse(raw.bytes(), raw.mediaType());
        List<Descriptor> blobs = new ArrayList<>(m.layers());
        blobs.add(m.config());
        for (Descriptor d : blobs) {
            byte[] bytes = readVerified(src, d);
            if (!dst.hasBlob(d)) {
                dst.putBlob(d, new ByteArrayInputStream(bytes));
            }
        }
        dst.putManifest(raw, tag);
        return m;
    }

    static byte[] readVerified(ImageSource src, Descriptor d) throws IOException {
        byte[] bytes;
        try (InputStream in = src.blob(d)) {
            bytes = in.readAllBytes();
        }
        assertEquals(d.digest(), Digests.of(bytes), "digest of blob " + d.digest() + " from " + src.describe());
        if (d.size() >= 0) {
            assertEquals(d.size(), bytes.length, "size of blob " + d.digest() + " from " + src.describe());
        }
        return bytes;
    }

    /** Writes a tarball of these files (name → bytes), in this order. */
    static void writeTar(Path target, Map<String, byte[]> files) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(target))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** podman with a store of its own under a temp dir (vfs: no mounts left behind), removed on close. */
    static final class Podman implements AutoCloseable {
        private final Path base;

        /** The store lives in a short path of its own: podman refuses a runroot longer than 50 characters. */
        Podman() throws IOException {
            this.base = Files.createTempDirectory(Path.of("/tmp"), "bpa");
        }

        List<String> command(String... args) {
            List<String> cmd = new ArrayList<>(List.of(PODMAN, "--root", base.resolve("root").toString(), "--runroot",
                    base.resolve("run").toString(), "--tmpdir", base.resolve("tmp").toString(), "--storage-driver", "vfs",
                    "--events-backend", "file", "--cgroup-manager", "cgroupfs"));
            cmd.addAll(List.of(args));
            return cmd;
        }

        String ok(String... args) {
            return Sys.ok(command(args).toArray(String[]::new));
        }

        Sys.Result run(String... args) {
            return Sys.run(command(args).toArray(String[]::new));
        }

        /** Runs a command in a container; the sandbox refuses podman's default rlimits, so small ones are set. */
        String runContainer(String image, String... cmd) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--net=none", "--cgroups=disabled",
                    "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
            args.addAll(List.of(cmd));
            return ok(args.toArray(String[]::new));
        }

        @Override
        public void close() throws IOException {
            // unmount whatever podman left mounted below the store (shm of a container), then delete it
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(base.toString())) {
                    mounts.add(f[1]);
                }
            }
            for (int i = mounts.size() - 1; i >= 0; i--) {
                Sys.run("umount", "-l", mounts.get(i));
            }
            FileTrees.delete(base);
        }
    }
}
