package berth.state.bolt.bench;

import berth.kernel.model.Container;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import berth.state.testkit.Workload;
import berth.support.FileTrees;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of the boltdb state backend (not a test): adds, saves and removes N containers (the
 * conformance suite's realistic ~2 KB records), one durable transaction each, and times listing all
 * N, in this JVM (warm) and in a fresh JVM (what one `berth ps` pays). See bench/bolt/README.md.
 *
 * <pre>java -cp ... berth.state.bolt.bench.BoltBench [containers=1000] [provider=boltdb] [dir=/tmp/...]</pre>
 */
public final class BoltBench {
    private BoltBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        String provider = "boltdb";
        Path dir = null;
        for (String a : args) {
            if (a.startsWith("containers=")) {
                n = Integer.parseInt(a.substring(11));
            } else if (a.startsWith("provider=")) {
                provider = a.substring(9);
            } else if (a.startsWith("dir=")) {
                dir = Path.of(a.substring(4));
            } else if (a.startsWith("cold-list=")) {
                coldList(provider, Path.of(a.substring(10)));
                return;
            }
        }
        boolean tempDir = dir == null;
        if (tempDir) {
            dir = Files.createTempDirectory("berth-bolt-bench-");
        }
        try {
            run(provider, dir, n);
        } finally {
            if (tempDir) {
                FileTrees.delete(dir);
            }
        }
    }

    private static StateStore open(String provider, Path dir) {
        StateStoreProvider p = PluginRegistry.boot(w -> { }).select(StateStoreProvider.class, provider);
        return p.open(new StateStoreConfig(dir, Workload.dbConfig(dir), Map.of(), w -> System.err.println("warning: " + w)));
    }

    private static void run(String provider, Path dir, int n) throws Exception {
        System.out.printf("backend %s, %d containers, static dir %s%n", provider, n, dir);
        System.out.printf("java %s, %d cpus%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Container> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(Workload.container("bench", 0, i, 0));
        }
        System.out.printf("record size: config+state %d bytes of JSON%n",
                berth.kernel.json.Json.writeBytes(records.get(0).config().toJson()).length
                        + berth.kernel.json.Json.writeBytes(records.get(0).state().toJson()).length);
        long t0 = System.nanoTime();
        StateStore s = open(provider, dir);
        System.out.printf("open (create): %.1f ms%n", ms(System.nanoTime() - t0));

        t0 = System.nanoTime();
        for (Container c : records) {
            s.addContainer(c);
        }
        long add = System.nanoTime() - t0;
        System.out.printf("add:    %6d containers in %7.0f ms = %7.0f writes/s (%.2f ms each)%n", n, ms(add), n / sec(add), ms(add) / n);

        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            s.saveContainer(Workload.container("bench", 0, i, 1));
        }
        long save = System.nanoTime() - t0;
        System.out.printf("save:   %6d containers in %7.0f ms = %7.0f writes/s (%.2f ms each)%n", n, ms(save), n / sec(save), ms(save) / n);

        double[] lists = new double[15];
        int listed = 0;
        for (int i = 0; i < lists.length; i++) {
            t0 = System.nanoTime();
            listed = s.allContainers().size();
            lists[i] = ms(System.nanoTime() - t0);
        }
        System.out.printf("list all %d (warm JVM): first %.1f ms, median %.1f ms, best %.1f ms%n", listed, lists[0], median(lists), min(lists));

        double[] lookups = new double[200];
        for (int i = 0; i < lookups.length; i++) {
            Container c = records.get((i * 37) % n);
            t0 = System.nanoTime();
            s.lookupContainer(i % 2 == 0 ? c.name() : c.id().substring(0, 12));
            lookups[i] = ms(System.nanoTime() - t0);
        }
        System.out.printf("lookup by name or ID prefix: median %.2f ms%n", median(lookups));

        Path db = dir.resolve(provider.equals("boltdb") ? "bolt_state.db" : ".");
        if (Files.isRegularFile(db)) {
            System.out.printf("database file: %.1f MiB%n", Files.size(db) / 1048576.0);
        }

        // A fresh JVM that opens the store and lists it once: what `berth ps` pays.
        double[] cold = new double[3];
        double[] coldWall = new double[3];
        for (int i = 0; i < cold.length; i++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), BoltBench.class.getName(), "provider=" + provider, "cold-list=" + dir));
            long w0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String line;
            String result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("COLD ")) {
                        result = line;
                    }
                }
            }
            p.waitFor();
            coldWall[i] = ms(System.nanoTime() - w0);
            if (result == null) {
                throw new IllegalStateException("cold-list child failed");
            }
            cold[i] = Double.parseDouble(result.split(" ")[2]);
        }
        System.out.printf("list all %d (fresh JVM, open+list inside main): median %.0f ms; whole process %.0f ms%n",
                listed, median(cold), median(coldWall));

        t0 = System.nanoTime();
        for (Container c : records) {
            s.removeContainer(c.id());
        }
        long rm = System.nanoTime() - t0;
        System.out.printf("remove: %6d containers in %7.0f ms = %7.0f writes/s (%.2f ms each)%n", n, ms(rm), n / sec(rm), ms(rm) / n);
        s.close();
    }

    private static void coldList(String provider, Path dir) {
        long t0 = System.nanoTime();
        StateStore s = open(provider, dir);
        int n = s.allContainers().size();
        System.out.printf("COLD %d %.1f%n", n, ms(System.nanoTime() - t0));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double sec(long nanos) {
        return nanos / 1e9;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }
}
