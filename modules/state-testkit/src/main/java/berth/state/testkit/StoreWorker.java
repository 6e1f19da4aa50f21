package berth.state.testkit;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of the suite's child JVMs. It opens a store by provider id through the plugin
 * registry, as berth does, and reports each completed operation on stdout, one line per operation,
 * written and flushed only after the store call returned: a line on stdout is an acknowledgement.
 *
 * <p>Arguments are {@code key=value} pairs:
 * <ul>
 *   <li>{@code mode=write}: {@code provider}, {@code dir} (the static dir), {@code tag}, {@code worker},
 *       {@code containers}, {@code updates}, {@code removeHalf}, {@code claims}, and {@code opt.KEY=VALUE}
 *       store options. Prints {@code READY}, waits for {@code GO} on stdin, then tries to claim the
 *       shared names {@code TAG-shared-K} (printing {@code CLAIMED K} or {@code LOST K}), then for each
 *       container adds it ({@code ADDED I}), saves it {@code updates} times ({@code SAVED I V}) and, for
 *       odd indexes when {@code removeHalf}, removes it ({@code REMOVED I}); then reports its slowest
 *       single write ({@code SLOWEST MILLIS}) and finally {@code DONE}.</li>
 *   <li>{@code mode=probe}: {@code provider}. Finds the provider and prints {@code PROVIDER ID}, without
 *       opening a store (the lazy-loading check runs this with class-load logging).</li>
 * </ul>
 * Any error prints {@code FAILED CODE MESSAGE} and exits 3; a store warning prints {@code WARNING ...}.
 */
public final class StoreWorker {
    private StoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + s);
            }
            String k = s.substring(0, eq);
            if (k.startsWith("opt.")) {
                options.put(k.substring(4), s.substring(eq + 1));
            } else {
                a.put(k, s.substring(eq + 1));
            }
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        int rc;
        try {
            rc = run(a, options, out);
        } catch (BerthException e) {
            e.printStackTrace();
            emit(out, "FAILED " + e.code() + " " + oneLine(e.getMessage()));
            rc = 3;
        } catch (Throwable e) {
            e.printStackTrace();
            emit(out, "FAILED " + e.getClass().getName() + " " + oneLine(e.getMessage()));
            rc = 3;
        }
        out.flush();
        System.exit(rc);
    }

    private static int run(Map<String, String> a, Map<String, String> options, PrintStream out) throws Exception {
        StateStoreProvider provider = PluginRegistry.boot(w -> emit(out, "WARNING " + oneLine(w)))
                .select(StateStoreProvider.class, a.get("provider"));
        String mode = a.getOrDefault("mode", "write");
        if (mode.equals("probe")) {
            emit(out, "PROVIDER " + provider.id());
            return 0;
        }
        if (!mode.equals("write")) {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        Path dir = Path.of(a.get("dir"));
        String tag = a.get("tag");
        int worker = Integer.parseInt(a.get("worker"));
        int containers = Integer.parseInt(a.get("containers"));
        int updates = Integer.parseInt(a.getOrDefault("updates", "1"));
        boolean removeHalf = Boolean.parseBoolean(a.getOrDefault("removeHalf", "false"));
        int claims = Integer.parseInt(a.getOrDefault("claims", "0"));
        StateStoreConfig cfg = new StateStoreConfig(dir, Workload.dbConfig(dir), options,
                w -> emit(out, "WARNING " + oneLine(w)));
        try (StateStore store = provider.open(cfg)) {
            emit(out, "READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String go = in.readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO on stdin, got " + go);
            }
            long worst = 0;
            for (int k = 0; k < claims; k++) {
                try {
                    store.addContainer(claimContainer(tag, worker, k));
                    emit(out, "CLAIMED " + k);
                } catch (BerthException e) {
                    if (e.code() != ErrorCode.NAME_IN_USE) {
                        throw e;
                    }
                    emit(out, "LOST " + k);
                }
            }
            for (int i = 0; i < containers; i++) {
                long t = System.nanoTime();
                store.addContainer(Workload.container(tag, worker, i, 0));
                worst = Math.max(worst, System.nanoTime() - t);
                emit(out, "ADDED " + i);
                for (int v = 1; v <= updates; v++) {
                    t = System.nanoTime();
                    store.saveContainer(Workload.container(tag, worker, i, v));
                    worst = Math.max(worst, System.nanoTime() - t);
                    emit(out, "SAVED " + i + " " + v);
                }
                if (removeHalf && i % 2 == 1) {
                    t = System.nanoTime();
                    store.removeContainer(Workload.id(tag, worker, i));
                    worst = Math.max(worst, System.nanoTime() - t);
                    emit(out, "REMOVED " + i);
                }
            }
            emit(out, "SLOWEST " + worst / 1_000_000);
        }
        emit(out, "DONE");
        return 0;
    }

    /** The container worker {@code worker} tries to add under the shared name {@code TAG-shared-K}. */
    public static Container claimContainer(String tag, int worker, int k) {
        Container c = Workload.container(tag + "-claim", worker, k, 0);
        return new Container(c.config().toBuilder().name(sharedName(tag, k)).build(), c.state());
    }

    public static String sharedName(String tag, int k) {
        return tag + "-shared-" + k;
    }

    private static void emit(PrintStream out, String line) {
        // One write per line (a pipe write under PIPE_BUF is atomic); the reader ignores a torn last line anyway.
        synchronized (out) {
            out.print(line + "\n");
            out.flush();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
