package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: 8 CLIs at once, each taking its containers through run -d, stop and rm, with ps -a reading
 * meanwhile, on each state backend: no command fails, no record is lost or torn, no process leaks.
 * -Dberth.load.containers sets the containers per CLI (CI: 3; the figure: 100).
 * Measured on the 2-core development machine while four other workers ran their tests: 6 per CLI
 * (144 commands per backend) took 501 s on file, 558 s on sqlite and 542 s on boltdb, all green;
 * a run of 100 reached 18 per CLI on file in 19 minutes (about 105 minutes per backend at that pace)
 * and was stopped, leaving nothing behind.
 */
class LoadIT {
    private static final int CLIS = 8;
    private static final int PER_CLI = Integer.getInteger("berth.load.containers", 3);

    @TempDir
    Path tmp;
    Berth berth;

    @AfterEach
    void tearDown() {
        if (berth != null) {
            berth.cleanUp();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"file", "sqlite", "boltdb"})
    void eightConcurrentClisLoseNothingAndLeakNothing(String backend) throws Exception {
        berth = new Berth(tmp).global("--db-backend", backend);
        String rootfs = Berth.rootfs().toString();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < CLIS; t++) {
            int cli = t;
            work.add(pool.submit(() -> {
                for (int i = 0; i < PER_CLI; i++) {
                    String name = "load" + cli + "-" + i;
                    for (String[] args : List.of(new String[] {"run", "-d", "--name", name, "--network", "none", "--rootfs", rootfs, "sleep", "600"},
                            new String[] {"stop", "-t", "0", name}, new String[] {"rm", name})) {
                        Berth.Result r = berth.run(args);
                        if (r.exitCode() != 0) {
                            failures.add(String.join(" ", args) + " -> " + r.exitCode() + ": " + r.err().strip());
                        }
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            // a reader meanwhile: every listing parses, whatever the writers do
            for (int i = 0; i < PER_CLI * 2; i++) {
                Berth.Result r = berth.run("ps", "-a", "--format", "json");
                if (r.exitCode() != 0 || !r.out().strip().startsWith("[")) {
                    failures.add("ps -a during the load -> " + r.exitCode() + ": " + r.err().strip());
                }
            }
            return null;
        }));
        for (Future<?> f : work) {
            f.get(20, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(List.of(), failures, "commands that failed under load on " + backend);
        assertEquals("", berth.run("ps", "-a", "-q").ok().line(), "records left on " + backend);
        assertTrue(Berth.eventually(10_000, () -> conmons(berth.root().toString()) == 0), "conmon processes left on " + backend);
        assertEquals(List.of(), list(berth.runRoot().resolve("runtime/crun")), "runtime states left on " + backend);
        assertEquals(List.of(), list(berth.runRoot().resolve("libpod/intents")), "unfinished intents on " + backend);
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static long conmons(String path) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    return cmd.startsWith("/usr/bin/conmon") && cmd.contains(path);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
