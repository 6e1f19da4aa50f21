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
import berth.support.HostPorts;
import berth.support.Names;
import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The slirp4netns network backend.
 *
 * <p>{@link #setup} starts {@code slirp4netns --configure --netns-type=path NETNS tap0} in a session
 * of its own ({@code setsid}), so it outlives the short-lived berth process and its terminal's
 * signals, with stdin from /dev/null and stdout/stderr appended to a log file (never a pipe to berth,
 * which would kill it with SIGPIPE once berth exits). It is ready when its API socket answers a
 * {@code list_hostfwd} request: slirp4netns serves the socket only from its main loop, after the tap
 * device is configured and the sandbox is in place, which is the same moment it would write to a
 * {@code --ready-fd}. Published ports are added with {@code add_hostfwd}. {@link #teardown} stops the
 * process (SIGTERM, then SIGKILL) and removes its socket and log.
 *
 * <p>Per-container options ({@code --network slirp4netns:OPT=V,...}), defaults from the environment
 * option {@code network_cmd_options} ({@code k=v,k=v}): {@code allow_host_loopback} (true: the host's
 * 127.0.0.1 is reachable as 10.0.2.2), {@code mtu} (65520), {@code cidr} (10.0.2.0/24),
 * {@code enable_ipv6} (false), {@code outbound_addr} / {@code outbound_addr6} (address or interface),
 * {@code port_handler} (only {@code slirp4netns}), {@code enable_sandbox} (false, see
 * {@link #sandboxHazard()}), {@code enable_seccomp} (true). Environment options
 * ({@link NetworkEnvironment#options()}, strings; containers.conf lists arrive joined with commas):
 * {@code network_cmd_options} (the defaults above), {@code network_cmd_path} (the slirp4netns binary;
 * else searched in the plugin directories and PATH), {@code ready_timeout} (seconds, 10). It never
 * writes to stdout or stderr; slirp4netns's output goes to a log file.
 */
final class Slirp4netnsBackend implements NetworkBackend {
    static final String ID = "slirp4netns";
    static final Set<String> OPTIONS = Set.of("port_handler", "allow_host_loopback", "mtu", "cidr", "enable_ipv6",
            "outbound_addr", "outbound_addr6", "enable_sandbox", "enable_seccomp");
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

    /** The parsed options of one container's slirp4netns. */
    record Config(boolean allowHostLoopback, int mtu, int network, int prefix, boolean ipv6, String outboundAddr,
            String outboundAddr6, boolean sandbox, boolean seccomp) {

        String cidr() {
            return format(network) + "/" + prefix;
        }

        String guest() {
            return format(network + 100);
        }

        String gateway() {
            return format(network + 2);
        }

        String dns() {
            return format(network + 3);
        }
    }

    /** Environment defaults ({@code network_cmd_options}) overridden by the container's options; every key and value checked. */
    Config config(Map<String, String> containerOptions) {
        Map<String, String> o = new LinkedHashMap<>();
        String defaults = env.options().getOrDefault("network_cmd_options", "");
        for (String kv : defaults.split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "network_cmd_options entry \"" + kv + "\" is not KEY=VALUE");
            }
            o.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        o.putAll(containerOptions);
        for (String k : o.keySet()) {
            if (!OPTIONS.contains(k)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown slirp4netns option \"" + k + "\" (known: "
                        + String.join(", ", new java.util.TreeSet<>(OPTIONS)) + ")");
            }
        }
        String handler = o.getOrDefault("port_handler", "slirp4netns");
        if (handler.equals("rootlesskit")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns option port_handler=rootlesskit is not supported:"
                    + " berth publishes ports through the slirp4netns API; use port_handler=slirp4netns");
        }
        if (!handler.equals("slirp4netns")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option port_handler=" + handler
                    + ": the only supported port handler is slirp4netns");
        }
        int mtu;
        try {
            mtu = Integer.parseInt(o.getOrDefault("mtu", "65520"));
        } catch (NumberFormatException e) {
            mtu = -1;
        }
        if (mtu < 68 || mtu > 65521) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option mtu=" + o.get("mtu")
                    + ": must be a number from 68 to 65521");
        }
        String cidr = o.getOrDefault("cidr", "10.0.2.0/24");
        int[] net = parseCidr(cidr);
        return new Config(bool(o, "allow_host_loopback", true), mtu, net[0], net[1], bool(o, "enable_ipv6", false),
                outbound(o.get("outbound_addr"), false), outbound(o.get("outbound_addr6"), true),
                bool(o, "enable_sandbox", false), bool(o, "enable_seccomp", true));
    }

    private static boolean bool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v + ": must be true or false");
    }

    /** An outbound address given as an address or as an interface name, resolved to an address of the right family. */
    private static String outbound(String v, boolean ipv6) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String key = ipv6 ? "outbound_addr6" : "outbound_addr";
        try {
            NetworkInterface nif = NetworkInterface.getByName(v);
            if (nif != null) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (ipv6 ? a instanceof Inet6Address && !a.isLinkLocalAddress() : a instanceof Inet4Address) {
                        return a.getHostAddress().replaceAll("%.*$", "");
                    }
                }
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "slirp4netns option " + key + "=" + v
                        + ": interface " + v + " has no " + (ipv6 ? "IPv6" : "IPv4") + " address");
            }
        } catch (SocketException e) {
            // not an interface; try an address
        }
        boolean literal = ipv6 ? v.contains(":") : v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v
                    + ": not an " + (ipv6 ? "IPv6" : "IPv4") + " address nor an interface name");
        }
        try {
            return InetAddress.getByName(v).getHostAddress();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option " + key + "=" + v);
        }
    }

    static int[] parseCidr(String cidr) {
        String[] parts = cidr.split("/");
        BerthException bad = new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid slirp4netns option cidr=" + cidr
                + ": expected an IPv4 network with a prefix length from 8 to 25, such as 10.0.2.0/24");
        if (parts.length != 2) {
            throw bad;
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            throw bad;
        }
        int addr = 0;
        int prefix;
        try {
            for (String s : octets) {
                int b = Integer.parseInt(s);
                if (b < 0 || b > 255 || s.isEmpty() || s.length() > 3) {
                    throw bad;
                }
                addr = (addr << 8) | b;
            }
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw bad;
        }
        if (prefix < 8 || prefix > 25) {
            throw bad;
        }
        int mask = -1 << (32 - prefix);
        return new int[] {addr & mask, prefix};
    }

    static String format(int addr) {
        return ((addr >>> 24) & 255) + "." + ((addr >>> 16) & 255) + "." + ((addr >>> 8) & 255) + "." + (addr & 255);
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public NetworkStatus setup(NetworkRequest request) {
        String cid = containerId(request);
        Config cfg = config(request.spec().options());
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
            String hazard = sandboxHazard();
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
        Path log = dir.resolve(sock.getFileName().toString().replaceAll("\\.sock$", ".log"));
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(sock);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        stopAll(sock); // a slirp4netns left behind by an earlier, crashed setup of this container

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
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot start " + slirp + ": " + e.getMessage(), e);
        }
        long pid = proc.pid();
        try {
            waitReady(proc, sock, log, request);
            berth.kernel.trace.Trace.mark("slirp4netns: ready");
            if (!Procs.isSlirpFor(pid, sock)) {
                // setsid forked (it does when it leads its process group): find the real process by its socket
                List<Long> found = Procs.findSlirpFor(sock);
                if (found.size() != 1) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot find the slirp4netns process serving " + sock);
                }
                pid = found.get(0);
            }
            List<Object> published = new ArrayList<>();
            for (PortMapping p : ports) {
                published.add(publish(sock, cfg, p));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pid", pid);
            details.put("startTime", Procs.startTime(pid));
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
        } catch (RuntimeException e) {
            String tail = Procs.tail(log, 2000);
            // An interrupted setup must still undo itself: the waits below would return at once.
            boolean interrupted = Thread.interrupted();
            try {
                // Our own child (setsid execs slirp4netns in place) may not have exec'd yet, so neither its
                // command line nor its socket identify it: stop it as the child it is.
                if (proc.isAlive()) {
                    proc.destroy();
                    if (!Procs.awaitExit(pid, 5000)) {
                        proc.destroyForcibly();
                    }
                    proc.waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
                }
                stop(pid, sock);
                stopAll(sock);
            } catch (InterruptedException ie) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(sock);
            deleteQuietly(log);
            ErrorCode code = e instanceof BerthException ? ((BerthException) e).code() : ErrorCode.NETWORK_ERROR;
            String msg = "cannot set up slirp4netns networking for container " + label(request) + ": " + e.getMessage();
            if (!tail.isBlank() && !msg.contains(tail.trim())) {
                msg += " (slirp4netns log: " + tail.trim().replace('\n', ' ') + ")";
            }
            throw new BerthException(code, msg, e);
        }
    }

    private void waitReady(Process proc, Path sock, Path log, NetworkRequest request) {
        long deadline = System.currentTimeMillis() + readyTimeoutMillis;
        boolean exitedZero = false;
        while (true) {
            if (!exitedZero && !proc.isAlive()) {
                int rc = proc.exitValue();
                if (rc != 0) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns exited with status " + rc
                            + " before it was ready: " + Procs.tail(log, 2000).trim().replace('\n', ' '));
                }
                exitedZero = true; // setsid forked and exited; the real process may still come up
            }
            if (Files.exists(sock)) {
                try {
                    JsonObject answer = SlirpApi.call(sock, SlirpApi.listHostfwd(), 1000);
                    if (answer.raw("entries") != null) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new BerthException(ErrorCode.TIMEOUT, "slirp4netns for container " + label(request)
                        + " was not ready within " + readyTimeoutMillis + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException(ErrorCode.NETWORK_ERROR, "interrupted while waiting for slirp4netns", e);
            }
        }
    }

    private Map<String, Object> publish(Path sock, Config cfg, PortMapping p) {
        String hostAddr = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
        JsonObject answer;
        try {
            answer = SlirpApi.call(sock, SlirpApi.addHostfwd(p.protocol(), hostAddr, p.hostPort(), cfg.guest(), p.containerPort()), 5000);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + " through the slirp4netns API: " + e.getMessage(), e);
        }
        JsonObject error = answer.obj("error");
        if (error != null) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot publish " + p + ": slirp4netns answered \""
                    + error.str("desc", "") + "\" (is host port " + hostAddr + ":" + p.hostPort() + "/" + p.protocol() + " in use?)");
        }
        JsonObject ret = answer.obj("return");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostIp", p.hostIp());
        m.put("hostPort", p.hostPort());
        m.put("containerPort", p.containerPort());
        m.put("protocol", p.protocol());
        m.put("id", ret == null ? -1 : ret.lng("id", -1));
        return m;
    }

    @Override
    public void teardown(NetworkRequest request, NetworkStatus status) {
        String cid = containerId(request);
        Path sock = socketPath(cid);
        Path log = dir.resolve(sock.getFileName().toString().replaceAll("\\.sock$", ".log"));
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
            if (pid instanceof Number && stop(((Number) pid).longValue(), sock)) {
                // the process of the status served this socket and is gone; setup starts one per socket (it
                // stops any earlier one first), so there is no other to look for in /proc
                deleteQuietly(sock);
                deleteQuietly(log);
                berth.kernel.trace.Trace.mark("slirp4netns: stopped");
                return;
            }
        }
        stopAll(sock);
        List<Long> left = Procs.findSlirpFor(sock);
        berth.kernel.trace.Trace.mark("slirp4netns: stopped (/proc scanned)");
        deleteQuietly(sock);
        deleteQuietly(log);
        if (!left.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "slirp4netns of container " + label(request) + " (pid " + left
                    + ") did not exit");
        }
    }

    /**
     * Stops a slirp4netns when the PID still is the one serving this socket (a reused PID is left
     * alone). True when it was that process and it has exited.
     */
    private static boolean stop(long pid, Path sock) {
        if (!Procs.isSlirpFor(pid, sock)) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!Procs.awaitExit(pid, 5000)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            return Procs.awaitExit(pid, 3000);
        }
        return true;
    }

    private static void stopAll(Path sock) {
        for (long pid : Procs.findSlirpFor(sock)) {
            stop(pid, sock);
        }
    }

    /**
     * Why slirp4netns's {@code --enable-sandbox} would damage this host, or null when it would not. The
     * sandbox (run as root) unshares a mount namespace in which the host's shared mounts stay peers of
     * the host's, makes only {@code /} private and {@code /etc}, {@code /run} slaves (when they are mount
     * points), then detaches the old root: every mount whose parent is still a shared peer is unmounted
     * in the host too. With {@code ip netns}-style namespaces (a shared /run/netns) on a host whose /run
     * is no mount point, that unmounts the namespace files of every container. So the sandbox is only
     * allowed when no mount hangs off a shared mount outside those subtrees.
     */
    static String sandboxHazard() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return "cannot read /proc/self/mountinfo (" + e.getMessage() + ")";
        }
        record Mount(String id, String parent, String point, boolean shared) {
        }
        Map<String, Mount> byId = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 7) {
                continue;
            }
            boolean shared = false;
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                shared |= f[i].startsWith("shared:");
            }
            String point = f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            byId.put(f[0], new Mount(f[0], f[1], point, shared));
        }
        List<String> slaveRoots = new ArrayList<>();
        for (Mount m : byId.values()) {
            if (m.point().equals("/etc") || m.point().equals("/run")) {
                slaveRoots.add(m.point());
            }
        }
        for (Mount m : byId.values()) {
            Mount parent = byId.get(m.parent());
            if (parent == null || parent.point().equals("/") || !parent.shared()) {
                continue;
            }
            boolean protectedBySlave = false;
            for (String root : slaveRoots) {
                protectedBySlave |= parent.point().equals(root) || parent.point().startsWith(root + "/");
            }
            if (!protectedBySlave) {
                return "its sandbox would unmount " + m.point() + " in the host (it is mounted on the shared mount "
                        + parent.point() + ", which the sandbox leaves shared)";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------

    /** The API socket path: under the run directory, named by the container id (hashed when the path would be too long). */
    Path socketPath(String cid) {
        Path p = dir.resolve(cid + ".sock");
        if (p.toString().length() <= MAX_SOCKET_PATH - 4) {
            return p;
        }
        try {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cid.getBytes(StandardCharsets.UTF_8)));
            p = dir.resolve(h.substring(0, 16) + ".sock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (p.toString().length() > MAX_SOCKET_PATH - 4) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "the run directory " + env.runDir()
                    + " is too long for a unix socket path (" + p + ")");
        }
        return p;
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

    /** Reading /proc: which process serves which socket, whether it still runs. */
    static final class Procs {
        private Procs() {
        }

        static List<String> cmdline(long pid) {
            try {
                byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
                List<String> out = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == 0) {
                        out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                if (start < b.length) {
                    out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
                }
                return out;
            } catch (IOException e) {
                return List.of();
            }
        }

        /** True when the process runs slirp4netns with this API socket (empty for zombies and the departed). */
        static boolean isSlirpFor(long pid, Path sock) {
            List<String> args = cmdline(pid);
            return !args.isEmpty() && args.get(0).endsWith("slirp4netns") && args.contains(sock.toString()) && running(pid);
        }

        static List<Long> findSlirpFor(Path sock) {
            List<Long> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : ds) {
                    long pid;
                    try {
                        pid = Long.parseLong(p.getFileName().toString());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (isSlirpFor(pid, sock)) {
                        out.add(pid);
                    }
                }
            } catch (IOException e) {
                // no /proc: nothing to find
            }
            return out;
        }

        /** The process state letter from /proc/PID/stat, or 0 when there is no such process. */
        static char state(long pid) {
            String stat = stat(pid);
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() ? 0 : stat.charAt(close + 2);
        }

        static boolean running(long pid) {
            char s = state(pid);
            return s != 0 && s != 'Z' && s != 'X';
        }

        static long startTime(long pid) {
            String stat = stat(pid);
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return -1;
            }
            String[] f = stat.substring(close + 2).split(" ");
            // after the command: state(3) ppid(4) ... starttime is field 22, index 19 here
            return f.length > 19 ? Long.parseLong(f[19]) : -1;
        }

        /** The session id (field 6) of a process, or -1. */
        static long sessionId(long pid) {
            String stat = stat(pid);
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return -1;
            }
            String[] f = stat.substring(close + 2).split(" ");
            return f.length > 3 ? Long.parseLong(f[3]) : -1;
        }

        private static String stat(long pid) {
            try {
                return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (IOException e) {
                return "";
            }
        }

        static boolean awaitExit(long pid, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            long sleep = 1; // slirp4netns exits within a few ms of SIGTERM
            while (running(pid)) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(sleep);
                    sleep = Math.min(sleep * 2, 10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !running(pid);
                }
            }
            return true;
        }

        static String tail(Path log, int max) {
            try {
                String s = Files.readString(log);
                return s.length() > max ? s.substring(s.length() - max) : s;
            } catch (IOException e) {
                return "";
            }
        }
    }
}
