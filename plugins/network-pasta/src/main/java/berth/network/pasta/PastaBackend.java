package berth.network.pasta;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.trace.Trace;
import berth.support.HostPorts;
import berth.support.Names;
import berth.support.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pasta network backend: one {@code pasta --config-net ... --netns NETNS} per container.
 *
 * <p>Setup runs pasta and waits for the command to return: pasta forks into the background (its own
 * session, stdio on /dev/null) only once the namespace's interface, addresses, routes and port
 * forwards are in place, so its exit status is the readiness signal and no polling is needed. The
 * daemon's PID comes from {@code --pid FILE}; what pasta configured is then read back from the
 * namespace ({@link NamespaceAddresses}). Teardown stops the daemon (pasta would also quit by itself
 * once the namespace file is deleted) and finds it by its PID file's path when the status was lost.
 *
 * <p>Environment options (containers.conf {@code [network]}): {@code pasta_options} (podman's: pasta
 * arguments before the container's own), {@code pasta_path} (the binary; else PATH, then podman's
 * helper directories), {@code ready_timeout} (seconds, 10). It never writes to stdout or stderr.
 */
final class PastaBackend implements NetworkBackend {
    static final String ID = "pasta";

    private final NetworkEnvironment env;
    private final Path dir;
    private final long readyTimeoutMillis;

    PastaBackend(NetworkEnvironment env) {
        this.env = env;
        this.dir = env.runDir();
        this.readyTimeoutMillis = readyTimeout(env.options().get("ready_timeout"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<NetworkCapability> capabilities() {
        return EnumSet.of(NetworkCapability.PORT_PUBLISHING);
    }

    @Override
    public boolean handles(String mode) {
        return ID.equals(mode);
    }

    @Override
    public NetworkStatus setup(NetworkRequest request) {
        Trace.mark("pasta: setup");
        Path pidFile = pidFile(request);
        Launch launch;
        try {
            launch = check(request, pidFile);
        } catch (BerthException e) {
            throw failed(request, e); // nothing started yet: nothing to undo
        }
        prepare(pidFile);
        try {
            long pid = start(launch.pasta(), launch.line(), pidFile);
            NamespaceAddresses ns = NamespaceAddresses.read(launch.nsenter(), launch.ip(), request.netnsPath());
            Trace.mark("pasta: addresses read");
            return status(request, launch.line(), pidFile, pid, ns);
        } catch (RuntimeException e) {
            undo(pidFile);
            throw failed(request, e);
        }
    }

    /** What a setup runs, once the request, the options, the binaries and the host ports are found good. */
    private record Launch(PastaCommandLine line, Path pasta, Path nsenter, Path ip) {
    }

    private Launch check(NetworkRequest request, Path pidFile) {
        if (!request.spec().networks().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "pasta networking joins no named networks; got " + request.spec().networks());
        }
        Path netns = request.netnsPath();
        if (netns == null || !Files.exists(netns)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "its network namespace " + netns + " does not exist");
        }
        List<PortMapping> ports = request.spec().ports();
        checkPorts(ports);
        PastaCommandLine line = PastaCommandLine.build(env.options().get("pasta_options"), request.spec().options().get(ID), ports,
                netns, pidFile, isRoot());
        Launch launch = new Launch(line, Executables.pasta(env.options()), Executables.system("nsenter", "util-linux"),
                Executables.system("ip", "iproute2"));
        for (PortMapping p : ports) {
            HostPorts.requireFree(p); // a clear error naming the port, before pasta starts
        }
        return launch;
    }

    private static BerthException failed(NetworkRequest request, RuntimeException e) {
        ErrorCode code = e instanceof BerthException b ? b.code() : ErrorCode.NETWORK_ERROR;
        return new BerthException(code, "cannot set up pasta networking for container " + label(request) + ": " + e.getMessage(), e);
    }

    /** Runs pasta to the moment it daemonises; returns the daemon's PID. */
    private long start(Path pasta, PastaCommandLine line, Path pidFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(pasta.toString());
        cmd.addAll(line.args());
        Trace.mark("pasta: starting");
        Subprocess.Result r = Subprocess.of(cmd).mergeStderr().timeoutMillis(readyTimeoutMillis).drainAfterExitMillis(200).run();
        Trace.mark("pasta: ready");
        String said = withoutSyslogNoise(r.stdout());
        if (r.exitCode() != 0) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "pasta failed with exit code " + r.exitCode() + ": "
                    + (said.isEmpty() ? "(no output)" : said));
        }
        long pid = PastaProcesses.readPidFile(pidFile);
        if (pid <= 0 || !PastaProcesses.isPastaFor(pid, pidFile)) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "pasta exited without leaving its daemon running (PID file " + pidFile
                    + (pid > 0 ? " names " + pid + ", which is gone" : " is empty") + ")" + (said.isEmpty() ? "" : ": " + said));
        }
        return pid;
    }

    private NetworkStatus status(NetworkRequest request, PastaCommandLine line, Path pidFile, long pid, NamespaceAddresses ns) {
        // as podman: a forwarder only of a family the namespace has (-4 or -6 leave the other out)
        List<String> dns = line.dnsForward().stream()
                .filter(a -> a.contains(":") ? ns.hasIpv6() : ns.hasIpv4())
                .collect(Collectors.toList());
        List<Object> published = new ArrayList<>();
        for (PortMapping p : request.spec().ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostIp", p.hostIp());
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            published.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", pid);
        details.put("startTime", PastaProcesses.startTime(pid));
        details.put("pidFile", pidFile.toString());
        details.put("netns", request.netnsPath().toString());
        details.put("interface", ns.interfaceName());
        details.put("dnsForward", dns);
        details.put("args", line.args());
        details.put("ports", published);
        NetworkAttachment a = new NetworkAttachment(ID, ns.interfaceName(), ns.addresses(), ns.gateways(), ns.mac());
        return new NetworkStatus(ID, List.of(a), dns, List.of(), List.of(), details);
    }

    @Override
    public void teardown(NetworkRequest request, NetworkStatus status) {
        Trace.mark("pasta: stopping");
        Path pidFile = pidFile(request);
        if (status != null && status.details().get("pidFile") instanceof String s && !s.isEmpty()) {
            pidFile = Path.of(s);
        }
        if (status != null && status.details().get("pid") instanceof Number pid && PastaProcesses.stop(pid.longValue(), pidFile)) {
            // setup stops any earlier pasta of this container before it starts one: no other to look for
            deleteQuietly(pidFile);
            Trace.mark("pasta: stopped");
            return;
        }
        List<Long> left = PastaProcesses.stopAll(pidFile);
        Trace.mark("pasta: stopped (/proc scanned)");
        deleteQuietly(pidFile);
        awaitPortsReleased(request.spec().ports());
        if (!left.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "pasta of container " + label(request) + " (pid " + left + ") did not exit");
        }
    }

    /**
     * A pasta that forwards no host port holds nothing the host sees: only its tap device, inside the
     * namespace the engine removes next (pasta also quits by itself once that namespace is gone). It
     * is told to exit and not waited for, as podman leaves its network helper to exit on its own. One
     * that forwards host ports holds them until its exit completes: {@link #teardown}.
     */
    @Override
    public void teardownDiscardingNamespace(NetworkRequest request, NetworkStatus status) {
        if (status == null || !(status.details().get("pid") instanceof Number pid) || !request.spec().ports().isEmpty()
                || !(status.details().get("pidFile") instanceof String file) || file.isEmpty()
                || !(status.details().get("args") instanceof List<?> args) || forwardsHostPorts(args)) {
            teardown(request, status);
            return;
        }
        Path pidFile = Path.of(file);
        if (!PastaProcesses.isPastaFor(pid.longValue(), pidFile)) {
            teardown(request, status); // not the process of the status: look for it
            return;
        }
        ProcessHandle.of(pid.longValue()).ifPresent(ProcessHandle::destroy);
        Trace.mark("pasta: told to exit");
        deleteQuietly(pidFile);
    }

    /** True unless every host port option of the command line is {@code none} (berth's default when no port is published). */
    static boolean forwardsHostPorts(List<?> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = String.valueOf(args.get(i));
            if (a.equals("-t") || a.equals("-u") || a.equals("--tcp-ports") || a.equals("--udp-ports")) {
                if (i + 1 >= args.size() || !"none".equals(String.valueOf(args.get(i + 1)))) {
                    return true;
                }
                i++;
            } else if (a.startsWith("--tcp-ports=") || a.startsWith("--udp-ports=")) {
                if (!a.endsWith("=none")) {
                    return true;
                }
            } else if (a.length() > 2 && (a.startsWith("-t") || a.startsWith("-u")) && !a.startsWith("--")) {
                return true; // a value joined to its short option
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------

    /** The PID file names the container, which makes it the mark teardown finds a lost pasta by. */
    private Path pidFile(NetworkRequest request) {
        return dir.resolve(Names.requireFileSafe("container id", request.containerId()) + ".pid");
    }

    /**
     * A pasta left by an earlier setup of this container that was never torn down goes first (its PID
     * file names it); then a fresh PID file. No /proc scan here, on every run's path: a setup cut short
     * before pasta wrote its PID file is undone by that setup itself, or by the teardown the engine runs
     * after a crash, which scans.
     */
    private void prepare(Path pidFile) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot make " + dir + ": " + e.getMessage(), e);
        }
        long earlier = PastaProcesses.readPidFile(pidFile);
        if (earlier > 0) {
            PastaProcesses.stop(earlier, pidFile);
        }
        deleteQuietly(pidFile);
    }

    /** Undoes a failed or interrupted setup: every pasta of this container goes, even when the thread was interrupted. */
    private static void undo(Path pidFile) {
        boolean interrupted = Thread.interrupted();
        try {
            PastaProcesses.stopAll(pidFile);
            deleteQuietly(pidFile);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Without a status nothing names the pasta of an interrupted setup for sure: one killed while it
     * daemonised has lost its command line (no /proc scan finds it) yet holds the published ports until
     * the kernel has freed it. Waiting, briefly, for the ports themselves covers that pasta.
     */
    private static void awaitPortsReleased(List<PortMapping> ports) {
        long deadline = System.nanoTime() + PORT_RELEASE_WAIT_NANOS;
        for (PortMapping p : ports) {
            while (true) {
                try {
                    HostPorts.requireFree(p);
                    break;
                } catch (BerthException held) {
                    if (System.nanoTime() > deadline) {
                        return; // someone else's now: not this teardown's to wait for
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static final long PORT_RELEASE_WAIT_NANOS = 2_000_000_000L;

    private static void checkPorts(List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            for (int j = 0; j < i; j++) {
                PortMapping q = ports.get(j);
                if (q.hostPort() == p.hostPort() && q.protocol().equals(p.protocol()) && q.hostIp().equals(p.hostIp())) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "host port " + p.hostPort() + "/" + p.protocol()
                            + " is published twice (" + q + " and " + p + ")");
                }
            }
        }
    }

    /** pasta 2023.03 reports every failed syslog write on stderr when there is no syslog; that says nothing about the network. */
    static String withoutSyslogNoise(String output) {
        return output.lines().filter(l -> !l.startsWith("Failed to send ") || !l.endsWith(" to syslog"))
                .map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("; "));
    }

    private static long readyTimeout(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value == null ? "10" : value.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds <= 0) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "ready_timeout \"" + value + "\" must be a positive number of seconds");
        }
        return seconds * 1000;
    }

    /** Effective UID 0, from /proc/self/status (the JDK has no geteuid). */
    private static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    String[] f = l.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0");
                }
            }
        } catch (IOException e) {
            // fall through: not known to be root
        }
        return false;
    }

    private static String label(NetworkRequest r) {
        return r.containerName() != null && !r.containerName().isEmpty() ? r.containerName() : r.containerId();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
