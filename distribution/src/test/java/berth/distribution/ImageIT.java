package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images end to end through the CLI: import, run, save and load round trips, commit, rmi rules,
 * hostile archives, and podman 4.3.1 on the same store and on berth's archives.
 */
class ImageIT {
    @TempDir
    Path dir;
    Berth berth;

    @BeforeEach
    void setUp() {
        berth = new Berth(dir);
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        berth.run("system", "reset", "-f");
    }

    /** A busybox root filesystem tarball. */
    Path rootfsTar() {
        Path tar = dir.resolve("rootfs.tar");
        if (!Files.exists(tar)) {
            exec(60, "tar", "-C", Berth.rootfs().toString(), "-cf", tar.toString(), ".");
        }
        return tar;
    }

    /** A docker-archive of a multi-layer busybox image built with umoci and skopeo (scripts/make-test-image.sh). */
    Path testArchive(String name, int sizeMb) {
        Path layout = dir.resolve("layout");
        Path script = Berth.HOME.getParent().getParent().getParent().resolve("scripts/make-test-image.sh");
        exec(300, "bash", script.toString(), layout.toString(), "t", String.valueOf(sizeMb), "2");
        Path tar = dir.resolve("archive-" + name.replaceAll("[^a-z0-9]", "_") + ".tar");
        exec(120, "skopeo", "copy", "-q", "oci:" + layout + ":t", "docker-archive:" + tar + ":" + name);
        return tar;
    }

    @Test
    void importThenRunFromTheImage() {
        String id = berth.run("import", "-q", "-c", "CMD [\"/bin/sh\"]", rootfsTar().toString(), "localhost/bb:1").ok().line();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "localhost/bb:1", "sh", "-c", "echo ok").ok().line());
        // the short name resolves to localhost/ as podman resolves it
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "bb:1", "echo", "ok").ok().line());
        String images = berth.run("images").ok().out();
        assertTrue(images.contains("localhost/bb") && images.contains(id.substring(0, 12)), images);
        assertTrue(berth.run("image", "exists", "bb:1").exitCode() == 0);
        assertEquals(1, berth.run("image", "exists", "nosuch:1").exitCode());
    }

    @Test
    void containersShareTheImagesLayersAndKeepTheirOwnChanges() throws IOException {
        berth.run("import", "-q", rootfsTar().toString(), "localhost/bb:1").ok();
        long layersBefore = layerDirs();
        String a = berth.run("create", "--network", "none", "--name", "a", "localhost/bb:1", "sh", "-c", "echo A > /file; cat /file").ok().line();
        String b = berth.run("create", "--network", "none", "--name", "b", "localhost/bb:1", "sh", "-c", "cat /file 2>&1; true").ok().line();
        assertEquals(layersBefore + 2, layerDirs(), "each container adds only its own writable layer");
        assertEquals(0, berth.run("start", "-a", a).exitCode());
        String out = berth.run("start", "-a", b).out();
        assertTrue(out.contains("No such file"), "b must not see a's change: " + out);
        String ps = berth.run("ps", "-a", "--format", "{{.Names}} {{.Image}}").ok().out();
        assertTrue(ps.contains("a localhost/bb:1"), ps);
        assertTrue(berth.run("inspect", "--format", "{{.ImageName}}", "a").ok().line().equals("localhost/bb:1"));
        berth.run("rm", "a", "b").ok();
        assertEquals(layersBefore, layerDirs(), "rm removes the containers' layers");
    }

    long layerDirs() throws IOException {
        Path overlay = berth.root().resolve("overlay");
        if (!Files.isDirectory(overlay)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(overlay)) {
            return s.filter(p -> !p.getFileName().toString().equals("l")).count();
        }
    }

    @Test
    void imageConfigDrivesTheContainer() {
        berth.run("import", "-q", "-c", "ENV GREETING=hello", "-c", "WORKDIR /tmp", "-c", "ENTRYPOINT [\"/bin/sh\", \"-c\"]",
                "-c", "CMD [\"echo $GREETING from $(pwd)\"]", "-c", "LABEL team=berth", rootfsTar().toString(), "localhost/cfg:1").ok();
        assertEquals("hello from /tmp", berth.run("run", "--rm", "--network", "none", "localhost/cfg:1").ok().line());
        assertEquals("bye from /tmp", berth.run("run", "--rm", "--network", "none", "-e", "GREETING=bye", "localhost/cfg:1").ok().line());
        assertEquals("x", berth.run("run", "--rm", "--network", "none", "--entrypoint", "/bin/echo", "localhost/cfg:1", "x").ok().line());
        String inspect = berth.run("image", "inspect", "--format", "{{.Config.WorkingDir}} {{.Labels.team}}", "localhost/cfg:1").ok().line();
        assertEquals("/tmp berth", inspect);
    }

    @Test
    void saveRmiLoadRoundTripsAndPodmanLoadsBerthsArchive() {
        Path archive = testArchive("localhost/rt:1", 0);
        String loaded = berth.run("load", "-i", archive.toString()).ok().out();
        assertTrue(loaded.contains("localhost/rt:1"), loaded);
        String id = berth.run("images", "-q", "--no-trunc", "localhost/rt:1").ok().line();
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "localhost/rt:1", "echo", "ok").ok().line());
        Path saved = dir.resolve("saved.tar");
        berth.run("save", "-o", saved.toString(), "localhost/rt:1").ok();
        berth.run("rmi", "localhost/rt:1").ok();
        assertEquals(1, berth.run("image", "exists", "localhost/rt:1").exitCode());
        berth.run("load", "-i", saved.toString()).ok();
        assertEquals(id, berth.run("images", "-q", "--no-trunc", "localhost/rt:1").ok().line(), "the same image comes back");
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "localhost/rt:1", "echo", "ok").ok().line());

        Podman podman = new Podman(dir.resolve("podman"));
        String out = podman.run("load", "-i", saved.toString());
        assertTrue(out.contains("localhost/rt:1"), out);
        assertEquals("ok", podman.run("run", "--rm", "--network", "none", "localhost/rt:1", "echo", "ok").strip());
        // and berth loads what podman saves
        Path fromPodman = dir.resolve("podman-saved.tar");
        podman.run("tag", "localhost/rt:1", "localhost/from-podman:1");
        podman.run("save", "-o", fromPodman.toString(), "localhost/from-podman:1");
        podman.reset();
        berth.run("load", "-i", fromPodman.toString()).ok();
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "localhost/from-podman:1", "echo", "ok").ok().line());
    }

    @Test
    void podmanAndBerthShareOneStore() {
        berth.run("load", "-i", testArchive("localhost/shared:1", 0).toString()).ok();
        Podman podman = new Podman(berth.root(), dir.resolve("podman-run"));
        String images = podman.run("images", "--format", "{{.Repository}}:{{.Tag}}");
        assertTrue(images.contains("localhost/shared:1"), images);
        assertEquals("from podman", podman.run("run", "--rm", "--network", "none", "localhost/shared:1", "echo", "from", "podman").strip());
        podman.run("import", "-q", rootfsTar().toString(), "localhost/podmans:1");
        assertEquals("from berth", berth.run("run", "--rm", "--network", "none", "localhost/podmans:1", "echo", "from", "berth").ok().line());
        podman.run("rm", "-a", "-f");
    }

    @Test
    void commitMakesAnImageOfAContainersChanges() {
        berth.run("import", "-q", rootfsTar().toString(), "localhost/base:1").ok();
        berth.run("run", "--name", "maker", "--network", "none", "localhost/base:1", "sh", "-c", "echo made > /made; rm /bin/true").ok();
        String id = berth.run("commit", "-q", "maker", "localhost/made:1").ok().line();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("made", berth.run("run", "--rm", "--network", "none", "localhost/made:1", "cat", "/made").ok().line());
        // a deletion is a whiteout in the new layer
        assertNotEquals(0, berth.run("run", "--rm", "--network", "none", "localhost/made:1", "ls", "/bin/true").exitCode());
    }

    @Test
    void rmiRefusesAnImageInUseAndForceRemovesItsContainers() {
        berth.run("import", "-q", rootfsTar().toString(), "localhost/used:1").ok();
        berth.run("create", "--name", "user", "--network", "none", "localhost/used:1", "true").ok();
        Berth.Result r = berth.run("rmi", "localhost/used:1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("in use"), r.err());
        assertEquals(0, berth.run("image", "exists", "localhost/used:1").exitCode());
        berth.run("rmi", "-f", "localhost/used:1").ok();
        assertEquals(1, berth.run("image", "exists", "localhost/used:1").exitCode());
        assertFalse(berth.run("ps", "-a", "--format", "{{.Names}}").ok().out().contains("user"));
    }

    @Test
    void unknownImagesAndHostileArchivesAreClearErrorsThatChangeNothing() throws IOException {
        berth.run("import", "-q", rootfsTar().toString(), "localhost/keep:1").ok();
        Berth.Result r = berth.run("run", "--rm", "--pull", "never", "localhost/nosuch:1", "true");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().contains("localhost/nosuch:1") && r.err().contains("image not known"), r.err());

        Path outside = dir.resolve("outside-marker");
        for (String hostile : List.of("../../../../../.." + outside, "/../../../.." + outside)) {
            Path tar = hostileDockerArchive(hostile);
            Berth.Result h = berth.run("load", "-i", tar.toString());
            assertEquals(125, h.exitCode(), "a hostile archive (" + hostile + ") must be refused: " + h.out() + h.err());
            assertFalse(Files.exists(outside), "nothing is written outside the store");
        }
        Path symlinkEscape = hostileSymlinkArchive(dir.resolve("escape-target"));
        Berth.Result s = berth.run("load", "-i", symlinkEscape.toString());
        assertEquals(125, s.exitCode(), s.out() + s.err());
        assertFalse(Files.exists(dir.resolve("escape-target/pwned")), "a symlinked parent must not lead outside");
        assertEquals("ok", berth.run("run", "--rm", "--network", "none", "localhost/keep:1", "echo", "ok").ok().line(),
                "other images stay intact");
        Path truncated = dir.resolve("truncated.tar");
        byte[] good = Files.readAllBytes(testArchive("localhost/trunc:1", 0));
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        Berth.Result t = berth.run("load", "-i", truncated.toString());
        assertEquals(125, t.exitCode(), t.out() + t.err());
        assertEquals(1, berth.run("image", "exists", "localhost/trunc:1").exitCode());
    }

    /** A docker-archive whose one layer holds an entry named {@code name}. */
    Path hostileDockerArchive(String name) throws IOException {
        return dockerArchive(List.of(new Entry(name, "pwned", false)));
    }

    /** A layer that makes {@code a} a symlink to {@code target} and then writes {@code a/pwned}. */
    Path hostileSymlinkArchive(Path target) throws IOException {
        Files.createDirectories(target);
        return dockerArchive(List.of(new Entry("a", target.toString(), true), new Entry("a/pwned", "pwned", false)));
    }

    record Entry(String name, String content, boolean symlink) {
    }

    Path dockerArchive(List<Entry> entries) throws IOException {
        java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(layer)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                if (e.symlink()) {
                    TarArchiveEntry te = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
                    te.setLinkName(e.content());
                    t.putArchiveEntry(te);
                } else {
                    byte[] data = e.content().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry te = new TarArchiveEntry(e.name(), true);
                    te.setSize(data.length);
                    t.putArchiveEntry(te);
                    t.write(data);
                }
                t.closeArchiveEntry();
            }
        }
        byte[] layerBytes = layer.toByteArray();
        String layerHex = sha256(layerBytes);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerHex + "\"]}}";
        String configHex = sha256(config.getBytes(StandardCharsets.UTF_8));
        String manifest = "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"localhost/hostile:1\"],\"Layers\":[\"" + layerHex + ".tar\"]}]";
        Path out = Files.createTempFile(dir, "hostile", ".tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(out))) {
            add(t, configHex + ".json", config.getBytes(StandardCharsets.UTF_8));
            add(t, layerHex + ".tar", layerBytes);
            add(t, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static void add(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command; fails the test with its output when it fails. */
    static String exec(int seconds, String... cmd) {
        return exec(java.util.Map.of(), seconds, cmd);
    }

    static String exec(java.util.Map<String, String> env, int seconds, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + " (scripts/setup-host.sh installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** podman 4.3.1 with roots of its own (or berth's graph root), for interoperability checks. */
    static final class Podman {
        final Path root;
        final Path runRoot;

        Podman(Path dir) {
            this(dir.resolve("root"), dir.resolve("run"));
        }

        Podman(Path root, Path runRoot) {
            this.root = root;
            this.runRoot = runRoot;
        }

        String run(String... args) {
            List<String> cmd = new ArrayList<>(List.of("podman", "--root", root.toString(), "--runroot", runRoot.toString(),
                    "--cgroup-manager", "cgroupfs", "--events-backend", "none"));
            cmd.addAll(List.of(args));
            try {
                // podman 4.3.1 needs these ulimits on this kind of machine (the seeds' README)
                Path conf = Files.createDirectories(runRoot.getParent()).resolve("podman-containers.conf");
                Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n");
                return exec(java.util.Map.of("CONTAINERS_CONF", conf.toString()), 180, cmd.toArray(new String[0]));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        void reset() {
            run("system", "reset", "-f");
        }
    }
}
