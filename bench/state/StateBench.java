import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.Resources;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark of the state backends: container-record writes per second and the time to list 1000
 * records (what {@code berth ps -a} does), for the file and SQLite backends. A plain program, not a
 * test; bench/state/run.sh builds the modules and runs it (see bench/state/README.md).
 *
 * <p>Modes: no arguments runs everything and prints a table; {@code cold BACKEND DIR [k=v...]} (used
 * by the main mode in a fresh JVM) opens a store and lists it once, printing the milliseconds;
 * {@code writer BACKEND DIR WORKER N [k=v...]} adds N containers after a GO on stdin.
 */
public class StateBench {
    static final int RECORDS = Integer.getInteger("bench.records", 1000);
    static final int REPEATS = Integer.getInteger("bench.repeats", 15);
    static final int PROCESSES = Integer.getInteger("bench.processes", 4);

    record Backend(String label, String provider, Map<String, String> options) {
    }

    static final List<Backend> BACKENDS = List.of(
            new Backend("file", "file", Map.of()),
            new Backend("sqlite (synchronous=FULL, default)", "sqlite", Map.of()),
            new Backend("sqlite (synchronous=NORMAL)", "sqlite", Map.of("sqlite.synchronous", "NORMAL")));

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cold")) {
            cold(args);
            return;
        }
        if (args.length > 0 && args[0].equals("writer")) {
            writer(args);
            return;
        }
        System.out.printf(Locale.ROOT, "java %s on %s, %d CPUs; %d records of ~%d bytes of JSON; tmp %s%n",
                System.getProperty("java.version"), System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                RECORDS, berth.kernel.json.Json.write(record(0, 0, 0).toJson()).length(), System.getProperty("java.io.tmpdir"));
        List<String[]> rows = new ArrayList<>();
        for (Backend b : BACKENDS) {
            System.out.println("== " + b.label());
            rows.add(run(b));
        }
        System.out.println();
        String[] head = {"backend", "add/s", "save/s", "remove/s", "list 1000 (warm, median)", "list 1000 (first in JVM)",
                "open+list 1000, fresh JVM (median of 3)", "lookup by name", PROCESSES + " writer processes, add/s total"};
        printTable(head, rows);
    }

    static String[] run(Backend b) throws Exception {
        // Warm the JIT on a throwaway store, so the in-process figures are steady-state ones.
        Path warm = Files.createTempDirectory("berth-bench-warm-");
        try (StateStore s = open(b, warm)) {
            for (int i = 0; i < 300; i++) {
                s.addContainer(record(9, i, 0));
                s.saveContainer(record(9, i, 1));
                s.lookupContainer(record(9, i, 0).name());
            }
            for (int i = 0; i < 5; i++) {
                s.allContainers();
            }
            for (int i = 0; i < 300; i++) {
                s.removeContainer(record(9, i, 0).id());
            }
        }
        delete(warm);

        Path dir = Files.createTempDirectory("berth-bench-");
        String adds;
        String saves;
        String listWarm;
        String listFirst;
        String lookup;
        try (StateStore s = open(b, dir)) {
            long t = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                s.addContainer(record(0, i, 0));
            }
            double addS = secs(t);
            t = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                s.saveContainer(record(0, i, 1 + i % 5));
            }
            double saveS = secs(t);
            adds = rate(RECORDS, addS);
            saves = rate(RECORDS, saveS);
            System.out.printf(Locale.ROOT, "  %d adds in %.2f s, %d saves in %.2f s%n", RECORDS, addS, RECORDS, saveS);
        }
        // A new handle: its first listing also pays for opening statements and cold caches.
        try (StateStore s = open(b, dir)) {
            long t = System.nanoTime();
            int n = s.allContainers().size();
            double first = secs(t);
            check(n == RECORDS, "listed " + n);
            double[] ms = new double[REPEATS];
            for (int i = 0; i < REPEATS; i++) {
                t = System.nanoTime();
                n = s.allContainers().size();
                ms[i] = secs(t) * 1000;
                check(n == RECORDS, "listed " + n);
            }
            Arrays.sort(ms);
            listWarm = String.format(Locale.ROOT, "%.1f ms", ms[REPEATS / 2]);
            listFirst = String.format(Locale.ROOT, "%.1f ms", first * 1000);
            t = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                s.lookupContainer(record(0, i, 0).name());
            }
            lookup = String.format(Locale.ROOT, "%.0f us", secs(t) * 1e6 / RECORDS);
        }
        double[] cold = new double[3];
        for (int i = 0; i < cold.length; i++) {
            cold[i] = coldRun(b, dir);
        }
        Arrays.sort(cold);
        String coldList = String.format(Locale.ROOT, "%.0f ms", cold[1]);
        String removes;
        try (StateStore s = open(b, dir)) {
            long t = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                s.removeContainer(record(0, i, 0).id());
            }
            removes = rate(RECORDS, secs(t));
        }
        delete(dir);
        String together = concurrent(b);
        return new String[] {b.label(), adds, saves, removes, listWarm, listFirst, coldList, lookup, together};
    }

    /** Opens and lists the store in a fresh JVM; returns the milliseconds the child measured. */
    static double coldRun(Backend b, Path dir) throws Exception {
        List<String> cmd = childCommand();
        cmd.addAll(List.of("cold", b.provider(), dir.toString()));
        b.options().forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        check(p.waitFor() == 0, "cold run failed: " + out);
        String[] f = out.split(" ");
        System.out.printf(Locale.ROOT, "  fresh JVM: open %s ms, first list %s ms (%s records)%n", f[0], f[1], f[2]);
        return Double.parseDouble(f[0]) + Double.parseDouble(f[1]);
    }

    static void cold(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Backend b = new Backend(args[1], args[1], options(args, 3));
        try (StateStore s = open(b, Path.of(args[2]))) {
            double open = secs(t0) * 1000;
            long t1 = System.nanoTime();
            int n = s.allContainers().size();
            System.out.printf(Locale.ROOT, "%.1f %.1f %d%n", open, secs(t1) * 1000, n);
        }
    }

    /** PROCESSES JVMs each adding RECORDS / PROCESSES containers at once; adds per second over all. */
    static String concurrent(Backend b) throws Exception {
        Path dir = Files.createTempDirectory("berth-bench-conc-");
        open(b, dir).close();
        int each = RECORDS / PROCESSES;
        List<Process> ps = new ArrayList<>();
        for (int w = 0; w < PROCESSES; w++) {
            List<String> cmd = childCommand();
            cmd.addAll(List.of("writer", b.provider(), dir.toString(), Integer.toString(w + 1), Integer.toString(each)));
            b.options().forEach((k, v) -> cmd.add(k + "=" + v));
            ps.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (Process p : ps) {
            String l = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            check("READY".equals(l), "writer did not start: " + l);
        }
        long t = System.nanoTime();
        for (Process p : ps) {
            OutputStream o = p.getOutputStream();
            o.write("GO\n".getBytes(StandardCharsets.UTF_8));
            o.flush();
        }
        for (Process p : ps) {
            check(p.waitFor() == 0, "a writer failed");
        }
        double s = secs(t);
        try (StateStore st = open(b, dir)) {
            check(st.allContainers().size() == each * PROCESSES, "concurrent writers lost records");
        }
        delete(dir);
        System.out.printf(Locale.ROOT, "  %d processes x %d adds in %.2f s%n", PROCESSES, each, s);
        return rate(each * PROCESSES, s);
    }

    static void writer(String[] args) throws Exception {
        Backend b = new Backend(args[1], args[1], options(args, 5));
        int worker = Integer.parseInt(args[3]);
        int n = Integer.parseInt(args[4]);
        try (StateStore s = open(b, Path.of(args[2]))) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 0; i < n; i++) {
                s.addContainer(record(worker, i, 0));
            }
        }
    }

    static List<String> childCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("--module-path");
        cmd.add(System.getProperty("jdk.module.path"));
        cmd.add("--add-modules");
        cmd.add("ALL-MODULE-PATH");
        String classes = System.getProperty("bench.classes");
        if (classes != null) {
            cmd.add("--class-path");
            cmd.add(classes);
            cmd.add("StateBench");
        } else {
            cmd.add(System.getProperty("bench.source", "bench/state/StateBench.java"));
        }
        return cmd;
    }

    static Map<String, String> options(String[] args, int from) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return o;
    }

    static StateStore open(Backend b, Path dir) {
        StateStoreProvider p = PluginRegistry.boot(System.err::println).select(StateStoreProvider.class, b.provider());
        String s = dir.toString();
        DbConfig db = new DbConfig(s, s + "/tmp", s + "/storage", s + "/run", s + "/volumes");
        return p.open(new StateStoreConfig(dir, db, b.options(), w -> System.err.println("warning: " + w)));
    }

    /** A container of realistic size (~2 KB of JSON, podman's run 2-6 KB). */
    static Container record(int worker, int i, int version) {
        String id = String.format(Locale.ROOT, "%016x%016x%016x%016x", 0xbe27L + worker, (long) i * 0x9E3779B97F4A7C15L,
                (long) worker * 31 + i, 0x5eedL ^ i);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int k = 0; k < 8; k++) {
            labels.put("io.example.label-" + k, "value-" + k + "-" + id.substring(k, k + 16));
        }
        List<String> env = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        for (int k = 0; k < 8; k++) {
            env.add("VAR_" + k + "=" + id.substring(k * 4, k * 4 + 24));
        }
        ContainerConfig cfg = ContainerConfig.builder().id(id).name("bench-" + worker + "-" + i)
                .rootfs("/var/lib/berth/storage/overlay/" + id + "/merged")
                .command(List.of("/bin/sh", "-c", "while true; do echo " + i + "; sleep 1; done"))
                .env(env).labels(labels).annotations(Map.of("io.example.note", "x".repeat(300)))
                .mounts(List.of(new MountSpec("bind", "/srv/" + i, "/data", List.of("rw")),
                        new MountSpec("tmpfs", "tmpfs", "/run", List.of("rw", "noexec", "nosuid", "nodev"))))
                .network(new NetworkSpec("bridge", List.of("podman"), Map.of(), List.of(new PortMapping("", 8000 + i % 1000, 80, "tcp"))))
                .logPath("/var/lib/berth/storage/overlay-containers/" + id + "/userdata/ctr.log").runtime("runc")
                .resources(new Resources(512L << 20, 0, 2048)).createdAt(Instant.ofEpochSecond(1_700_000_000L + i)).build();
        ContainerState st = ContainerState.configured();
        if (version > 0) {
            st = st.toBuilder().status(version % 2 == 1 ? ContainerStatus.RUNNING : ContainerStatus.STOPPED)
                    .pid(1000 + i).conmonPid(900 + i).restartCount(version).startedAt(Instant.ofEpochSecond(1_700_100_000L + i))
                    .netNsPath("/run/netns/berth-" + id.substring(0, 12)).build();
        }
        return new Container(cfg, st);
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String rate(int n, double secs) {
        return String.format(Locale.ROOT, "%.0f", n / secs);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static void printTable(String[] head, List<String[]> rows) {
        int[] w = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            w[c] = head[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder("|");
        StringBuilder sep = new StringBuilder("|");
        for (int c = 0; c < head.length; c++) {
            sb.append(' ').append(String.format("%-" + w[c] + "s", head[c])).append(" |");
            sep.append(c == 0 ? ":" : "-").append("-".repeat(w[c])).append(c == 0 ? "-|" : ":|");
        }
        System.out.println(sb);
        System.out.println(sep);
        for (String[] r : rows) {
            sb = new StringBuilder("|");
            for (int c = 0; c < head.length; c++) {
                sb.append(' ').append(String.format(c == 0 ? "%-" + w[c] + "s" : "%" + w[c] + "s", r[c])).append(" |");
            }
            System.out.println(sb);
        }
    }

    static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
