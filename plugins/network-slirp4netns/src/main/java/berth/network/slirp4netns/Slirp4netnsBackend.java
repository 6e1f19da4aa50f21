package berth.network.slirp4netns;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The slirp4netns network backend.
 *
 * <p>{@link #beginSetup} starts {@code slirp4netns --configure --netns-type=path NETNS tap0} in a session
 * of its own ({@code setsid}), so it outlives the short-lived berth process and its terminal's
 * signals, with stdin from /dev/null and stdout/stderr appended to a log file (never a pipe to berth,
 * which would kill it with SIGPIPE once berth exits), and returns at once: the status is known
 * before slirp4netns is up. {@link #awaitReady} waits until its API socket answers a
 * {@code list_hostfwd} request (slirp4netns serves the socket only from its main loop, after the tap
 * device is configured and the sandbox is in place, the moment it would write to a
 * {@code --ready-fd}), then publishes ports with {@code add_hostfwd}. The engine calls it once the
 * runtime has created the container, so slirp4netns comes up while the runtime works, as podman
 * overlaps it with its own work; {@link #setup} does both. {@link #teardown} stops the process
 * (SIGTERM, then SIGKILL) and removes its socket and log.
 *
 * <p>Options: see {@link SlirpOptions} ({@code enable_sandbox} only where {@link SlirpSandbox#hazard()}
 * finds none). Environment options ({@link NetworkEnvironment#options()}, strings; containers.conf
 * lists arrive joined with commas): {@code network_cmd_options} (the defaults),
 * {@code network_cmd_path} (the slirp4netns binary; else searched in the plugin directories and
 * PATH), {@code ready_timeout} (seconds, 10). It never writes to stdout or stderr; slirp4netns's
 * output goes to a log file.
 */
final class Slirp4netnsBackend implements NetworkBackend {
    static final String ID = "slirp4netns";
    private static final int MAX_SOCKET_PATH = 107;
    static final String IPV6_GATEWAY = "fe80::2";
    static final String IPV6_DNS = "fd00::3";

    private final NetworkEnvironment env;
    private final Path dir;
    private final long readyTimeoutMillis;

    Slirp4netnsBackend(NetworkEnvironment env) {
        this.env = env;
        this.dir = env.runDir().resolve("slirp4netns");
        long t;
        try {
            t = Long.parseLong(env.options().getOrDefault("ready_timeout", "10").trim()) * 1000L;
        } catch (NumberFormatException e) {
            t = -1;
        }
        if (t <= 0) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "ready_timeout \"" + env.options().get("ready_timeout")
                    + "\" must be a positive number of seconds");
        }
        this.readyTimeoutMillis = t;
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

    // ---------------------------------------------------------------------------------------------

    /** {@link #beginSetup} and {@link #awaitReady}; a slirp4netns that does not come up is stopped again. */
    @Override
    public NetworkStatus setup(NetworkRequest request) {
        NetworkStatus st = beginSetup(request);
        try {
            awaitReady(request, st);
        } catch (RuntimeException e) {
            // An interrupted setup must still undo itself: the waits in stop() would return at once.
            boolean interrupted = Thread.interrupted();
            try {
                stopStarted(st);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        return st;
    }

    /** Starts slirp4netns and returns the status it will serve; it comes up in the background. */
    @Override
    public NetworkStatus beginSetup(NetworkRequest request) {
        String cid = containerId(request);
        SlirpOptions cfg = SlirpOptions.parse(env.options().getOrDefault("network_cmd_options", ""), request.spec().options());
        List<PortMapping> ports = request.spec().ports();
        checkPorts(ports);
        if (!request.spec().networks().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns networking joins no named networks; got "
                    + request.spec().networks());
        }
        Path netns = request.netnsPath();
        if (netns == null || !Files.exists(netns)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network namespace " + netns + " of container "
                    + label(request) + " does not exist");
        }
        if (cfg.sandbox()) {
            String hazard = SlirpSandbox.hazard();
            if (hazard != null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns option enable_sandbox=true is unsafe on this host: "
                        + hazard + "; use enable_sandbox=false");
            }
        }
        Path slirp = findSlirp4netns();
        Path setsid = findExecutable("setsid", List.of());
        if (setsid == null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "setsid (util-linux) not found in PATH; it detaches slirp4netns from berth");
        }
        for (PortMapping p : ports) {
            HostPorts.requireFree(p); // before slirp4netns starts
        }
        Path sock = socketPath(cid);
        Path log = logPath(sock);
        // A log is made when a slirp4netns is started: only then can one be left by an earlier, crashed
        // setup of this container, and only then is /proc searched for it (a walk over every process).
        if (Files.exists(log) || Files.exists(sock)) {
            stopAll(sock);
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(sock);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        // Started by a shell that exits at once: slirp4netns must not be this JVM's child, as a JVM halting
        // while a child of its exits takes 20 to 30 ms longer to be gone (measured with Temurin 25), and
        // run --rm halts as the slirp4netns it told to exit does so. setsid execs it in place (the shell's
        // background child leads no process group), so the PID the shell prints is slirp4netns's.
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SlirpProcesses.SPAWN_SCRIPT, log.toString()));
        cmd.addAll(command(setsid, slirp, cfg, sock, netns));
        long pid;
        // not interruptible: a shell killed by an interrupt leaves its child running, unknown to the undo
        boolean interrupted = Thread.interrupted();
        try {
            Subprocess.Result r = Subprocess.of(cmd).timeoutMillis(readyTimeoutMillis).run();
            pid = Long.parseLong(r.stdout().trim());
        } catch (BerthException | NumberFormatException e) {
            deleteQuietly(log);
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot start " + slirp + " for container " + label(request)
                    + ": " + e.getMessage(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Trace.mark("slirp4netns: started");
        return status(cfg, pid, sock, log, netns, ports);
    }

    private static List<String> command(Path setsid, Path slirp, SlirpOptions cfg, Path sock, Path netns) {
        List<String> cmd = new ArrayList<>();
        cmd.add(setsid.toString());
        cmd.add(slirp.toString());
        cmd.add("--configure");
        cmd.add("--mtu=" + cfg.mtu());
        cmd.add("--cidr=" + cfg.cidr());
        if (!cfg.allowHostLoopback()) {
            cmd.add("--disable-host-loopback");
        }
        if (cfg.ipv6()) {
            cmd.add("--enable-ipv6");
        }
        if (cfg.outboundAddr() != null) {
            cmd.add("--outbound-addr=" + cfg.outboundAddr());
        }
        if (cfg.outboundAddr6() != null) {
            cmd.add("--outbound-addr6=" + cfg.outboundAddr6());
        }
        if (cfg.sandbox()) {
            cmd.add("--enable-sandbox");
        }
        if (cfg.seccomp()) {
            cmd.add("--enable-seccomp");
        }
        cmd.add("--api-socket");
        cmd.add(sock.toString());
        cmd.add("--netns-type=path");
        cmd.add(netns.toString());
        cmd.add("tap0");
        return cmd;
    }

    private static NetworkStatus status(SlirpOptions cfg, long pid, Path sock, Path log, Path netns, List<PortMapping> ports) {
        List<Object> published = new ArrayList<>();
        for (PortMapping p : ports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostIp", p.hostIp());
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            published.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", pid);
        details.put("startTime", SlirpProcesses.startTime(pid));
        details.put("apiSocket", sock.toString());
        details.put("logFile", log.toString());
        details.put("netns", netns.toString());
        details.put("interface", "tap0");
        details.put("cidr", cfg.cidr());
        details.put("guestAddress", cfg.guest());
        details.put("gateway", cfg.gateway());
        details.put("dns", cfg.dns());
        details.put("hostLoopback", cfg.allowHostLoopback());
        details.put("mtu", cfg.mtu());
        details.put("ipv6", cfg.ipv6());
        details.put("sandbox", cfg.sandbox());
        details.put("seccomp", cfg.seccomp());
        details.put("ports", published);
        String guestCidr = cfg.guest() + "/" + cfg.cidr().substring(cfg.cidr().indexOf('/') + 1);
        List<String> gateways = new ArrayList<>(List.of(cfg.gateway()));
        List<String> dns = new ArrayList<>(List.of(cfg.dns()));
        if (cfg.ipv6()) {
            // libslirp's IPv6 side: the guest takes a SLAAC address in fd00::/64 (not known here), the router
            // advertises itself as fe80::2, the DNS forwarder is fd00::3
            gateways.add(IPV6_GATEWAY);
            dns.add(IPV6_DNS);
        }
        return new NetworkStatus(ID, List.of(new NetworkAttachment(ID, "tap0", List.of(guestCidr), gateways, "")),
                dns, List.of(), List.of(), details);
    }

    /** Waits for the API socket to answer, then publishes the ports. A failure names the container and quotes the log. */
    @Override
    public void awaitReady(NetworkRequest request, NetworkStatus status) {
        Map<String, Object> d = status.details();
        long pid = ((Number) d.get("pid")).longValue();
        Path sock = Path.of((String) d.get("apiSocket"));
        Path log = Path.of((String) d.get("logFile"));
        try {
            waitReady(pid, sock, log, request, !request.spec().ports().isEmpty());
            Trace.mark("slirp4netns: ready");
            List<PortMapping> ports = request.spec().ports();
            if (!ports.isEmpty()) {
                String guest = (String) d.get("guestAddress");
                for (PortMapping p : ports) {
                    publish(sock, guest, p);
                }
            }
        } catch (RuntimeException e) {
            String tail = SlirpProcesses.tail(log, 2000);
            ErrorCode code = e instanceof BerthException ? ((BerthException) e).code() : ErrorCode.NETWORK_ERROR;
            String msg = "cannot set up slirp4netns networking for container " + label(request) + ": " + e.getMessage();
            if (!tail.isBlank() && !msg.contains(tail.trim())) {
                msg += " (slirp4netns log: " + tail.trim().replace('\n', ' ') + ")";
            }
            throw new BerthException(code, msg, e);
        }
    }

    private void waitReady(long pid, Path sock, Path log, NetworkRequest request, boolean callApi) {
        long deadline = System.currentTimeMillis() + readyTimeoutMillis;
        while (true) {
            if (Files.exists(sock)) {
                // slirp4netns binds its API socket once its tap is made and configured and it handed the
                // fd over (then listens and serves): with no port to publish, bound is ready, and a call
                // (a socket channel, a selector, JSON: ~8 ms of cold code in a run's JVM) would only wait
                if (!callApi) {
                    return;
                }
                try {
                    JsonObject answer = SlirpApi.call(sock, SlirpApi.listHostfwd(), 1000);
                    if (answer.raw("entries") != null) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (!SlirpProcesses.running(pid) && SlirpProcesses.findSlirpFor(sock).isEmpty()) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns (pid " + pid + ") exited before it was ready: "
                        + SlirpProcesses.tail(log, 2000).trim().replace('\n', ' '));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new BerthException(ErrorCode.TIMEOUT, "slirp4netns for container " + label(request)
                        + " was not ready within " + readyTimeoutMillis + " ms");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException(ErrorCode.NETWORK_ERROR, "interrupted while waiting for slirp4netns", e);
            }
        }
    }

    private void publish(Path sock, String guest, PortMapping p) {
        String hostAddr = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
        JsonObject answer;
        try {
            answer = SlirpApi.call(sock, SlirpApi.addHostfwd(p.protocol(), hostAddr, p.hostPort(), guest, p.containerPort()), 5000);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + " through the slirp4netns API: " + e.getMessage(), e);
        }
        JsonObject error = answer.obj("error");
        if (error != null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": slirp4netns answered \""
                    + error.str("desc", "") + "\" (is host port " + hostAddr + ":" + p.hostPort() + "/" + p.protocol() + " in use?)");
        }
    }

    /** Undoes a setup whose slirp4netns never became ready (it may not have exec'd yet: its spawning shell's child is matched too). */
    private void stopStarted(NetworkStatus st) {
        long pid = ((Number) st.details().get("pid")).longValue();
        Path sock = Path.of((String) st.details().get("apiSocket"));
        stop(pid, sock, startTime(st));
        stopAll(sock);
        deleteQuietly(sock);
        deleteQuietly(Path.of((String) st.details().get("logFile")));
    }

    @Override
    public void teardown(NetworkRequest request, NetworkStatus status) {
        String cid = containerId(request);
        Path sock = socketPath(cid);
        Path log = logPath(sock);
        if (status != null) {
            Object s = status.details().get("apiSocket");
            if (s instanceof String && !((String) s).isEmpty()) {
                sock = Path.of((String) s);
            }
            Object l = status.details().get("logFile");
            if (l instanceof String && !((String) l).isEmpty()) {
                log = Path.of((String) l);
            }
            Object pid = status.details().get("pid");
            if (pid instanceof Number && stop(((Number) pid).longValue(), sock, startTime(status))) {
                // the process of the status served this socket and is gone; setup starts one per socket (it
                // stops any earlier one first), so there is no other to look for in /proc
                deleteQuietly(sock);
                deleteQuietly(log);
                Trace.mark("slirp4netns: stopped");
                return;
            }
        }
        stopAll(sock);
        List<Long> left = SlirpProcesses.findSlirpFor(sock);
        Trace.mark("slirp4netns: stopped (/proc scanned)");
        deleteQuietly(sock);
        deleteQuietly(log);
        if (!left.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns of container " + label(request) + " (pid " + left
                    + ") did not exit");
        }
    }

    /**
     * Without published ports, a slirp4netns holds nothing the host sees: only its tap device, inside
     * the namespace the engine removes next. It is told to exit and not waited for (its exit, the
     * kernel unregistering that tap, takes about 15 ms), as podman leaves its slirp4netns to exit when
     * conmon does. With published ports it holds them until its exit completes: {@link #teardown}.
     */
    @Override
    public void teardownDiscardingNamespace(NetworkRequest request, NetworkStatus status) {
        if (status == null || !(status.details().get("pid") instanceof Number pid) || !request.spec().ports().isEmpty()
                || status.details().get("ports") instanceof List<?> l && !l.isEmpty()
                || !(status.details().get("apiSocket") instanceof String s) || s.isEmpty()) {
            teardown(request, status);
            return;
        }
        Path sock = Path.of(s);
        if (SlirpProcesses.isSlirpFor(pid.longValue(), sock)) {
            ProcessHandle.of(pid.longValue()).ifPresent(ProcessHandle::destroy);
        } else {
            teardown(request, status); // not the process of the status: look for it
            return;
        }
        Trace.mark("slirp4netns: told to exit");
        deleteQuietly(sock);
        if (status.details().get("logFile") instanceof String log && !log.isEmpty()) {
            deleteQuietly(Path.of(log));
        }
    }

    /**
     * Stops a slirp4netns when the PID still is the one serving this socket (a reused PID is left
     * alone). True when it was that process and it has exited.
     */
    private static boolean stop(long pid, Path sock) {
        return stop(pid, sock, -1);
    }

    /**
     * As {@link #stop(long, Path)}; a process whose start time is {@code startTime} (the one setup
     * started, whatever it has exec'd since: a wrapper named by network_cmd_path) counts as that
     * process too.
     */
    private static boolean stop(long pid, Path sock, long startTime) {
        if (!SlirpProcesses.isSlirpFor(pid, sock) && (startTime < 0 || SlirpProcesses.startTime(pid) != startTime)) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        Trace.mark("slirp4netns: signalled");
        if (!SlirpProcesses.awaitExit(pid, 5000)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return SlirpProcesses.awaitExit(pid, 3000);
        }
        return true;
    }

    /** The start time the status recorded for its process, or -1. */
    private static long startTime(NetworkStatus st) {
        return st.details().get("startTime") instanceof Number n ? n.longValue() : -1;
    }

    private static void stopAll(Path sock) {
        for (long pid : SlirpProcesses.findSlirpFor(sock)) {
            stop(pid, sock);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Path logPath(Path sock) {
        return dir.resolve(sock.getFileName().toString().replaceAll("\\.sock$", ".log"));
    }

    /**
     * The API socket path: under the run directory, named by the container id; when that path is too
     * long, by 16 hex digits of the id: its own first 16 when it is an engine id (64 random hex
     * digits: as unique as a digest of it, without the ~7 ms a first MessageDigest costs a JVM on the
     * run's path), else a SHA-256 of it.
     */
    Path socketPath(String cid) {
        Path p = dir.resolve(cid + ".sock");
        if (p.toString().length() <= MAX_SOCKET_PATH - 4) {
            return p;
        }
        p = dir.resolve(shortName(cid) + ".sock");
        if (p.toString().length() > MAX_SOCKET_PATH - 4) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "the run directory " + env.runDir()
                    + " is too long for a unix socket path (" + p + ")");
        }
        return p;
    }

    static String shortName(String cid) {
        if (cid.length() == 64 && cid.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return cid.substring(0, 16);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cid.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path findSlirp4netns() {
        String configured = env.options().get("network_cmd_path");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns binary " + configured
                    + " (network_cmd_path) does not exist or is not executable");
        }
        Path p = findExecutable("slirp4netns", env.pluginDirs());
        if (p == null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns binary not found: searched " + searchPath(env.pluginDirs())
                    + "; install slirp4netns or set network_cmd_path");
        }
        return p;
    }

    private static List<String> searchPath(List<String> first) {
        List<String> dirs = new ArrayList<>(first);
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && !dirs.contains(d)) {
                dirs.add(d);
            }
        }
        for (String d : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/libexec/podman")) {
            if (!dirs.contains(d)) {
                dirs.add(d);
            }
        }
        return dirs;
    }

    private static Path findExecutable(String name, List<String> first) {
        for (String d : searchPath(first)) {
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void checkPorts(List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            if (!p.hostIp().isEmpty() && !p.hostIp().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot publish " + p
                        + ": slirp4netns publishes ports on IPv4 host addresses only");
            }
            for (int j = 0; j < i; j++) {
                PortMapping q = ports.get(j);
                if (q.hostPort() == p.hostPort() && q.protocol().equals(p.protocol())) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "host port " + p.hostPort() + "/" + p.protocol()
                            + " is published twice (" + q + " and " + p + ")");
                }
            }
        }
    }

    /** The container's ID, when it can name this container's socket and log files. */
    private static String containerId(NetworkRequest request) {
        return Names.requireFileSafe("container id", request.containerId());
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
