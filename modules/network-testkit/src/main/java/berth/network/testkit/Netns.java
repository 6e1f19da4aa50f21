package berth.network.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made with {@code ip netns add} (a bind-mounted nsfs file under /run/netns, as
 * berth makes them) with its loopback up, as the engine hands namespaces to backends; commands run
 * in it through {@code ip netns exec}. {@link #close()} stops the processes started in it and
 * deletes it; both are safe after {@link #delete()}.
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private final Path path;
    private final Set<String> initialLinks;
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());

    private Netns(String name) {
        this.name = name;
        this.path = Path.of("/run/netns", name);
        this.initialLinks = links();
    }

    /** A new namespace named {@code PREFIX-RANDOM}. */
    public static Netns create(String prefix) {
        String name = prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        Host.ok("ip", "netns", "add", name);
        Host.ok("ip", "-n", name, "link", "set", "lo", "up"); // as the engine hands namespaces to network backends
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    /** The namespace file a backend gets in {@code NetworkRequest.netnsPath()}. */
    public Path path() {
        return path;
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /** Runs a command in the namespace. */
    public CommandResult exec(String... cmd) {
        return Host.run(prefixed(cmd), 60);
    }

    /** Runs a command in the namespace and returns its output; a non-zero exit is an assertion error. */
    public String ok(String... cmd) {
        CommandResult r = exec(cmd);
        if (!r.ok()) {
            throw new AssertionError("in netns " + name + ", command failed (exit " + r.exitCode() + "): "
                    + String.join(" ", cmd) + "\n" + r.output());
        }
        return r.output();
    }

    /** Starts a long-running command in the namespace; stopped by {@link #close()}. */
    public Process background(String... cmd) {
        try {
            Process p = new ProcessBuilder(prefixed(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", cmd) + " in netns " + name, e);
        }
    }

    /** The interface names in the namespace now. */
    public Set<String> links() {
        Set<String> out = new TreeSet<>();
        for (String line : Host.ok("ip", "-n", name, "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1) {
                out.add(f[1].split("@")[0]);
            }
        }
        return out;
    }

    /** Interfaces that were not there when the namespace was made (lo and fallback tunnels were). */
    public Set<String> addedLinks() {
        Set<String> now = links();
        now.removeAll(initialLinks);
        return now;
    }

    /** Deletes the namespace now (the container's namespace vanishing before teardown). */
    public void delete() {
        stopProcesses();
        Host.run("ip", "netns", "del", name);
    }

    private void stopProcesses() {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
        }
    }

    @Override
    public void close() {
        stopProcesses();
        if (exists()) {
            Host.run("ip", "netns", "del", name);
        }
    }

    private List<String> prefixed(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return full;
    }

    @Override
    public String toString() {
        return name;
    }
}
