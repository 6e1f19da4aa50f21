package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.testsupport.GoBolt;
import berth.state.testkit.Workload;
import berth.support.FileTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * podman 4.3 creates containers in a state database of its own (--root/--runroot in a temporary
 * directory, a busybox-static rootfs); berth's boltdb store opened on GRAPHROOT/libpod/bolt_state.db
 * lists them with podman's names, IDs and states, without changing the file.
 */
class PodmanInteropTest {
    private static Path root;
    private static Path podman;
    private static final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        podman = GoBolt.which("podman");
        if (podman == null) {
            fail("the podman interoperability test needs podman 4.3 (Debian bookworm): apt-get install -y podman");
        }
        if (GoBolt.which("runc") == null) {
            fail("the podman interoperability test runs containers with runc: apt-get install -y runc");
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isRegularFile(busybox) || !isStatic(busybox)) {
            fail("the podman interoperability test builds a rootfs from a static busybox: apt-get install -y busybox-static");
        }
        root = Files.createTempDirectory("berth-bolt-podman-");
        Path rootfs = root.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        GoBolt.Result list = GoBolt.run(List.of(busybox.toString(), "--list"), Map.of(), 30);
        for (String applet : list.stdout()) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
            }
        }
        // podman 4.3.1 on this kernel needs explicit ulimits (see shared/seeds/README.md); file locks
        // under --tmpdir keep this podman's locks apart from the system's (/dev/shm/libpod_lock)
        Files.writeString(root.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
                        + "[engine]\nlock_type = \"file\"\n", StandardCharsets.UTF_8);
    }

    private static boolean isStatic(Path elf) throws IOException {
        byte[] b = Files.readAllBytes(elf);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 64 || b[0] != 0x7f || b[1] != 'E' || b[4] != 2) {
            return false;
        }
        long phoff = bb.getLong(0x20);
        int phentsize = Short.toUnsignedInt(bb.getShort(0x36));
        int phnum = Short.toUnsignedInt(bb.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            if (bb.getInt((int) (phoff + (long) i * phentsize)) == 3) { // PT_INTERP: dynamically linked
                return false;
            }
        }
        return true;
    }

    private static GoBolt.Result podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(podman.toString(), "--root", root.resolve("root").toString(),
                "--runroot", root.resolve("run").toString(), "--tmpdir", root.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        return GoBolt.run(cmd, Map.of("CONTAINERS_CONF", root.resolve("containers.conf").toString()), 180);
    }

    private static GoBolt.Result podmanOk(String... args) throws Exception {
        GoBolt.Result r = podman(args);
        assertEquals(0, r.exitCode(), () -> "podman " + String.join(" ", args) + ": " + r);
        return r;
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (root == null) {
            return;
        }
        try {
            podman("rm", "--all", "--force", "--time", "0");
        } finally {
            // podman unmounts what it mounted; anything left under the test directory goes too
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
            for (String m : mounts) {
                String[] f = m.split(" ");
                if (f.length > 1 && f[1].startsWith(root.toString())) {
                    GoBolt.run(List.of("umount", "-l", f[1]), Map.of(), 30);
                }
            }
            FileTrees.delete(root);
        }
    }

    private static StateStore berth(DbConfig config) {
        return new BoltStateStoreProvider().open(new StateStoreConfig(root.resolve("root/libpod"), config, Map.of(), warnings::add));
    }

    private static DbConfig podmansConfig() {
        String r = root.toString();
        return new DbConfig(r + "/root/libpod", r + "/tmp", r + "/root", r + "/run", r + "/root/volumes");
    }

    /** podman ps -a, by name: {Id, State, Pid}. */
    private static Map<String, JsonObject> podmanPs() throws Exception {
        GoBolt.Result r = podmanOk("ps", "--all", "--format", "json");
        Object parsed = Json.parse(String.join("\n", r.stdout()));
        Map<String, JsonObject> out = new HashMap<>();
        for (Object o : (List<?>) parsed) {
            @SuppressWarnings("unchecked")
            JsonObject c = new JsonObject((Map<String, Object>) o);
            out.put(c.strings("Names").get(0), c);
        }
        return out;
    }

    /** Volumes go both ways: berth reads podman's volume records, and podman lists and inspects berth's. */
    @Test
    void volumeRecordsAreSharedWithPodman() throws Exception {
        podmanOk("volume", "create", "--label", "made=podman", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=nodev", "pvol");
        StateStore s = berth(podmansConfig());
        berth.kernel.model.Volume p = s.volume("pvol");
        assertEquals("podman", p.labels().get("made"));
        assertEquals(root.resolve("root/volumes/pvol/_data").toString(), p.mountpoint());
        assertEquals(Map.of("type", "tmpfs", "device", "tmpfs", "o", "nodev"), p.options());
        assertNotNull(p.createdAt());

        berth.kernel.model.Volume mine = new berth.kernel.model.Volume("bvol", "local",
                root.resolve("root/volumes/bvol/_data").toString(), Map.of("made", "berth"), Map.of(),
                java.time.Instant.parse("2026-12-03T12:00:00Z"), false, true, 0, 0);
        Files.createDirectories(Path.of(mine.mountpoint()));
        s.addVolume(mine);
        assertEquals(List.of("bvol", "pvol"), podmanOk("volume", "ls", "-q").stdout().stream().filter(l -> !l.isBlank()).toList());
        String inspect = String.join("\n", podmanOk("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Labels.made}} {{.Mountpoint}}",
                "bvol").stdout()).strip();
        assertEquals("bvol local berth " + mine.mountpoint(), inspect);
        podmanOk("volume", "rm", "bvol");
        assertTrue(s.findVolume("bvol").isEmpty(), "podman's volume rm removes berth's record");
        s.removeVolume("pvol");
        assertEquals(List.of(), podmanOk("volume", "ls", "-q").stdout().stream().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void berthListsPodmansContainersWithTheirNamesIdsAndStates() throws Exception {
        String rootfs = root.resolve("rootfs").toString();
        podmanOk("create", "--network", "none", "--name", "n1", "--label", "app=web", "--env", "FOO=bar",
                "--workdir", "/tmp", "--hostname", "h1", "--timeout", "30", "--rootfs", rootfs, "/bin/sh", "-c", "echo hi");
        podmanOk("run", "--network", "none", "--name", "n2", "--rootfs", rootfs, "/bin/true");
        podmanOk("run", "--detach", "--network", "none", "--name", "n3", "--rootfs", rootfs, "/bin/sleep", "600");
        Map<String, JsonObject> ps = podmanPs();
        assertEquals("created", ps.get("n1").str("State"));
        assertEquals("exited", ps.get("n2").str("State"));
        assertEquals("running", ps.get("n3").str("State"));

        Path db = root.resolve("root/libpod/bolt_state.db");
        assertTrue(Files.isRegularFile(db), "podman 4.3 keeps its state in " + db);
        String before = GoBolt.sha256(db);

        StateStore s = berth(podmansConfig());
        List<Container> all = s.allContainers();
        assertEquals(List.of(), warnings);
        Map<String, Container> byName = all.stream().collect(Collectors.toMap(Container::name, c -> c));
        assertEquals(ps.keySet(), byName.keySet());
        for (Map.Entry<String, JsonObject> e : ps.entrySet()) {
            Container c = byName.get(e.getKey());
            assertEquals(e.getValue().str("Id"), c.id(), e.getKey());
            assertEquals(e.getValue().str("State"), c.status().display(), e.getKey());
            assertEquals("podman", c.config().annotations().get(PodmanRecords.ORIGIN_ANNOTATION));
        }
        assertEquals(ContainerStatus.CONFIGURED, byName.get("n1").status());
        assertEquals(ContainerStatus.EXITED, byName.get("n2").status());
        assertEquals(ContainerStatus.RUNNING, byName.get("n3").status());
        assertEquals(ps.get("n3").integer("Pid", -1), byName.get("n3").state().pid());
        assertTrue(byName.get("n3").state().pid() > 0);
        assertTrue(byName.get("n2").state().exited());
        assertNotNull(byName.get("n2").state().finishedAt());

        Container n1 = byName.get("n1");
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), n1.config().command());
        assertEquals("web", n1.config().labels().get("app"));
        assertEquals(30, n1.config().timeout(), "podman's --timeout");
        assertTrue(n1.config().env().contains("FOO=bar"), n1.config().env().toString());
        assertEquals("/tmp", n1.config().workingDir());
        assertEquals("h1", n1.config().hostname());
        assertEquals(rootfs, n1.config().rootfs());
        assertEquals("runc", n1.config().runtime());
        assertTrue(n1.config().network().isNone());
        assertNotNull(n1.config().createdAt());
        // the listing is newest first, as podman ps
        assertEquals(List.of("n3", "n2", "n1"), all.stream().map(Container::name).collect(Collectors.toList()));

        // lookups by name, ID and prefix
        assertEquals(n1, s.lookupContainer("n1"));
        assertEquals(n1, s.lookupContainer(n1.id()));
        assertEquals(n1, s.lookupContainer(n1.id().substring(0, 12)));
        assertEquals(n1, s.container(n1.id()));
        assertTrue(s.hasContainer(n1.id()));
        assertEquals(podmansConfig(), s.dbConfig());

        // and berth's DbConfig check names podman's file
        DbConfig p = podmansConfig();
        BerthException mismatch = assertThrows(BerthException.class,
                () -> berth(new DbConfig(p.staticDir(), p.tmpDir(), "/var/lib/containers/storage", p.runRoot(), p.volumePath())));
        assertEquals(ErrorCode.STATE_CONFIG_MISMATCH, mismatch.code());
        assertTrue(mismatch.getMessage().contains(db.toString()), mismatch.getMessage());
        s.close();
        assertEquals(before, GoBolt.sha256(db), "berth's reads left podman's database byte-for-byte unchanged");

        // podman changes a state; berth sees it on its next read (no cache across operations)
        podmanOk("stop", "--time", "0", "n3");
        try (StateStore again = berth(null)) {
            Container n3 = again.lookupContainer("n3");
            assertEquals(podmanPs().get("n3").str("State"), n3.status().display());
            assertFalse(n3.status().isRunningOrPaused());
        }

        // berth's own records live beside podman's; the file stays valid for bbolt and podman
        Container mine = Workload.container("berth", 0, 0, 1);
        try (StateStore rw = berth(podmansConfig())) {
            rw.addContainer(mine);
            assertEquals(mine, rw.lookupContainer(mine.name()));
            assertEquals(4, rw.allContainers().size());
            BerthException taken = assertThrows(BerthException.class,
                    () -> rw.addContainer(new Container(mine.config().toBuilder().id(Workload.id("berth", 0, 1)).name("n1").build(), mine.state())));
            assertEquals(ErrorCode.NAME_IN_USE, taken.code(), "podman's names are taken");
        }
        GoBolt.Result check = GoBolt.boltcheck("check", db.toString());
        assertEquals(0, check.exitCode(), check::toString);
        GoBolt.Result podmanPs = podman("ps", "--all", "--format", "{{.Names}} {{.State}}");
        assertEquals(0, podmanPs.exitCode(), "podman still works on the shared file: " + podmanPs);
        for (String n : List.of("n1", "n2", "n3", mine.name())) {
            assertTrue(podmanPs.stdout().stream().anyMatch(l -> l.startsWith(n + " ")), "podman still lists " + n + ": " + podmanPs);
        }
        try (StateStore rw = berth(podmansConfig())) {
            rw.removeContainer(mine.id());
            assertEquals(3, rw.allContainers().size());
        }
        podmanOk("rm", "n1");
        try (StateStore again = berth(podmansConfig())) {
            assertEquals(List.of("n3", "n2"), again.allContainers().stream().map(Container::name).collect(Collectors.toList()));
        }
        assertEquals(0, GoBolt.boltcheck("check", db.toString()).exitCode());
    }
}
