package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same locks: berth with {@code lock_type = "shm"} and podman 4.3.1 on one bolt database and
 * podman's SHM lock segment (/dev/shm/libpod_lock), their CLIs working at once: podman starts and
 * stops a container berth made while berth inspects it, and both create, start, stop and remove
 * containers of their own. Every command succeeds, no lock number is handed out twice, and bbolt
 * finds the file consistent.
 */
class SharedLocksIT {
    @TempDir
    Path tmp;

    private Berth berth;
    private PodmanCli podman;

    @BeforeEach
    void setUp() throws Exception {
        Path conf = tmp.resolve("berth.conf");
        Files.writeString(conf, "[engine]\nlock_type = \"shm\"\n");
        berth = new Berth(tmp).global("--tmpdir", tmp.resolve("tmp").toString(), "--db-backend", "boltdb", "--runtime", "crun",
                "--config", conf.toString());
        podman = PodmanCli.tempRoots(tmp, berth.runRoot(), true);
    }

    @AfterEach
    void tearDown() {
        podman.run("rm", "-a", "-f", "-t", "0");
        berth.cleanUp();
    }

    @Test
    void podmanAndBerthWorkOnOneContainerAndOneDatabaseAtOnce() throws Exception {
        String rootfs = Berth.rootfs().toString();
        berth.run("create", "--name", "shared", "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600").ok();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        int rounds = 4;
        CompletableFuture<Void> podmanOnShared = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds; i++) {
                record(errors, podman.run("start", "shared"));
                record(errors, podman.run("stop", "-t", "0", "shared"));
            }
        });
        CompletableFuture<Void> berthOnShared = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds * 3; i++) {
                record(errors, berth.run("inspect", "--format", "{{.State.Status}}", "shared"));
                record(errors, berth.run("ps", "-a"));
            }
        });
        CompletableFuture<Void> podmansOwn = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds; i++) {
                record(errors, podman.run("create", "--name", "p" + i, "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600"));
                record(errors, podman.run("start", "p" + i));
                record(errors, podman.run("stop", "-t", "0", "p" + i));
            }
        });
        CompletableFuture<Void> berthsOwn = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds; i++) {
                record(errors, berth.run("run", "-d", "--name", "b" + i, "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600"));
                record(errors, berth.run("stop", "-t", "0", "b" + i));
            }
        });
        CompletableFuture.allOf(podmanOnShared, berthOnShared, podmansOwn, berthsOwn).get(15, TimeUnit.MINUTES);
        assertEquals(List.of(), errors, "every command of both CLIs succeeded");

        Path db = berth.root().resolve("libpod/bolt_state.db");
        assertEquals(List.of(), BoltDump.errors(db), "bbolt's check");
        // every container has its own lock number, and each is allocated in podman's segment
        String ps = berth.run("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}").ok().out();
        Set<Long> numbers = new HashSet<>();
        int containers = 0;
        for (String line : ps.strip().split("\n")) {
            String id = line.split(" ")[0];
            JsonObject config = Json.parseObject(BoltDump.container(db, id).get("config"));
            assertTrue(numbers.add(config.lng("lockID", -1)), "lock " + config.lng("lockID", -1) + " is held by two containers: " + ps);
            containers++;
        }
        assertEquals(1 + 2 * rounds, containers, ps);
        assertEquals("exited", berth.run("inspect", "--format", "{{.State.Status}}", "shared").ok().line());
    }

    /**
     * The load check: 4 podman and 4 berth CLIs at once, each creating, starting, stopping and
     * removing its own 25 containers on one database, one lock segment and one vfs store (berth
     * registers a storage entry for its --rootfs containers as podman does). Nothing fails, nothing is
     * lost or left behind, and bbolt finds the file consistent. {@code -Dberth.sharedLoad=N} changes 25.
     */
    @Test
    void fourPodmanAndFourBerthClisEachCycleTheirOwnContainersAtOnce() throws Exception {
        int perCli = Integer.getInteger("berth.sharedLoad", 25);
        Berth vfsBerth = berth.global("--storage-driver", "vfs");
        String rootfs = Berth.rootfs().toString();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> clis = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        for (int cli = 0; cli < 4; cli++) {
            int n = cli;
            clis.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perCli; i++) {
                    String name = "p" + n + "-" + i;
                    record(errors, podman.run("create", "--name", name, "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600"));
                    record(errors, podman.run("start", name));
                    record(errors, podman.run("stop", "-t", "0", name));
                    record(errors, podman.run("rm", name));
                }
            }, pool));
            clis.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perCli; i++) {
                    String name = "b" + n + "-" + i;
                    record(errors, vfsBerth.run("create", "--name", name, "--network", "none", "--rootfs", rootfs, "/bin/sleep", "600"));
                    record(errors, vfsBerth.run("start", name));
                    record(errors, vfsBerth.run("stop", "-t", "0", name));
                    record(errors, vfsBerth.run("rm", name));
                }
            }, pool));
        }
        try {
            CompletableFuture.allOf(clis.toArray(CompletableFuture[]::new)).get(40, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("SharedLocksIT: 8 CLIs x %d containers x 4 commands in %.1f s, %d errors%n", perCli,
                (System.nanoTime() - t0) / 1e9, errors.size());
        assertEquals(List.of(), errors, "every command of the 8 CLIs succeeded");
        assertEquals("", vfsBerth.run("ps", "-a", "-q").ok().line(), "berth lists no container left");
        assertEquals("", podman.run("ps", "-a", "-q").ok().line(), "podman lists no container left");
        assertEquals("[]", Files.readString(tmp.resolve("root/vfs-containers/containers.json")).strip(),
                "no storage entry left behind");
        assertEquals(List.of(), BoltDump.errors(berth.root().resolve("libpod/bolt_state.db")), "bbolt's check");
    }

    private static void record(List<String> errors, Object result) {
        if (result instanceof PodmanCli.Result r && r.exitCode() != 0) {
            errors.add(r.toString());
        } else if (result instanceof Berth.Result r && r.exitCode() != 0) {
            errors.add("berth -> " + r.exitCode() + ": " + r.err());
        }
    }

}
