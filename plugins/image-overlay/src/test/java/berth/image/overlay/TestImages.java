package berth.image.overlay;

import berth.testsupport.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test images made from /bin/busybox with umoci (an OCI layout) and skopeo (a docker-archive), as a
 * user would make them: one layer with /bin/busybox, config Cmd {@code /bin/busybox sh}.
 */
final class TestImages {
    static final String UMOCI = "/usr/bin/umoci";
    static final String SKOPEO = "/usr/bin/skopeo";
    static final String PODMAN = "/usr/bin/podman";

    private TestImages() {
    }

    static void requireTools() {
        Sys.requireTools(UMOCI, SKOPEO, PODMAN, Sys.BUSYBOX);
    }

    /**
     * umoci 0.4.7 now and then fails reading a layout it just wrote ("read oci-layout: invalid image
     * detected") before it changes anything; the same command then succeeds, so that failure is tried
     * up to three times.
     */
    private static void umoci(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = UMOCI;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Sys.Result r = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            r = Sys.run(cmd);
            if (r.rc() == 0) {
                return;
            }
            if (!r.out().contains("open CAS")) {
                break; // it failed doing something: repeating it would not be the same command
            }
        }
        throw new AssertionError("command failed (" + r.rc() + "): " + String.join(" ", cmd) + "\n" + r.out());
    }

    /** An OCI layout at {@code dir} with the image tagged {@code tag}; {@code marker} goes into /marker (distinct images). */
    static Path ociLayout(Path dir, String tag, String marker) throws Exception {
        Path layout = dir.resolve("oci");
        if (!Files.exists(layout)) {
            umoci("init", "--layout", layout.toString());
        }
        umoci("new", "--image", layout + ":" + tag);
        Path bundle = dir.resolve("bundle-" + tag);
        umoci("unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString());
        Path bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(Path.of(Sys.BUSYBOX), bin.resolve("busybox"));
        Files.writeString(bundle.resolve("rootfs/marker"), marker + "\n");
        umoci("repack", "--image", layout + ":" + tag, bundle.toString());
        umoci("config", "--image", layout + ":" + tag, "--config.cmd", "/bin/busybox", "--config.cmd", "sh");
        Sys.ok("rm", "-rf", bundle.toString());
        return layout;
    }

    /** Another docker-archive of the same image (same layout and tag), named {@code name}. */
    static Path sameImageAs(Path archive, String name) throws Exception {
        String tag = archive.getFileName().toString().replace(".tar", "");
        Path tar = archive.resolveSibling(tag + "-" + Sys.randomHex(4) + ".tar");
        Sys.ok(SKOPEO, "copy", "--quiet", "oci:" + archive.resolveSibling("oci") + ":" + tag, "docker-archive:" + tar + ":" + name);
        return tar;
    }

    /** A docker-archive tarball of a one-layer busybox image named {@code name}. */
    static Path dockerArchive(Path dir, String name, String marker) throws Exception {
        String tag = "t" + Sys.randomHex(6);
        Path layout = ociLayout(dir, tag, marker);
        Path tar = dir.resolve(tag + ".tar");
        Sys.ok(SKOPEO, "copy", "--quiet", "oci:" + layout + ":" + tag, "docker-archive:" + tar + ":" + name);
        return tar;
    }

    /** podman on a private store. */
    record Podman(Path root, Path runRoot) {
        String ok(String... args) {
            return Sys.ok(command(args));
        }

        Sys.Result run(String... args) {
            return Sys.run(command(args));
        }

        private String[] command(String... args) {
            String[] cmd = new String[args.length + 7];
            cmd[0] = PODMAN;
            cmd[1] = "--root";
            cmd[2] = root.toString();
            cmd[3] = "--runroot";
            cmd[4] = runRoot.toString();
            cmd[5] = "--storage-driver";
            cmd[6] = driverOf(root);
            System.arraycopy(args, 0, cmd, 7, args.length);
            return cmd;
        }

        private static String driverOf(Path root) {
            return Files.isDirectory(root.resolve("vfs")) ? "vfs" : "overlay";
        }

        /** Unmounts whatever podman or the store left mounted under the root, so the temp dir can go. */
        void cleanup() {
            run("rm", "-a", "-f");
            try {
                List<String> mounts = new ArrayList<>();
                for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                    String mp = line.split(" ")[4];
                    if (mp.startsWith(root.toString()) || mp.startsWith(runRoot.toString())) {
                        mounts.add(mp);
                    }
                }
                mounts.sort(Comparator.comparingInt(String::length).reversed());
                for (String mp : mounts) {
                    LinuxMounts.unmount(Path.of(mp));
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
