package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.PortMapping;
import berth.support.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The netavark binary: {@code netavark --config RUNDIR --rootless=false --aardvark-binary=PATH setup|teardown NETNS}
 * with the options JSON on stdin (libnetwork's netavarkOptions: {@code container_id}, {@code container_name},
 * {@code port_mappings}, {@code networks}, {@code network_info}) and, for setup, a JSON map of network name
 * to status block on stdout; on failure, {@code {"error": "..."}} on stdout.
 */
final class Netavark {
    private final Path binary;
    private final Path aardvark;
    private final Path runDir;
    private final int dnsPort;
    private final long timeoutMillis;

    Netavark(Path binary, Path aardvark, Path runDir, int dnsPort, long timeoutMillis) {
        this.binary = binary;
        this.aardvark = aardvark;
        this.runDir = runDir;
        this.dnsPort = dnsPort;
        this.timeoutMillis = timeoutMillis;
    }

    /** One network of a container: its definition, interface, addresses and DNS aliases. */
    record Attach(PodmanNetwork network, String interfaceName, List<String> staticIps, List<String> aliases) {
    }

    /** netavark's status block of one network, typed. */
    record Block(String network, String interfaceName, List<String> addresses, List<String> gateways, String mac,
                 List<String> dnsServers, List<String> dnsSearch) {
    }

    static Map<String, Object> options(String containerId, String containerName, List<PortMapping> ports, List<Attach> attachments) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("container_id", containerId);
        o.put("container_name", containerName);
        if (!ports.isEmpty()) {
            List<Object> pm = new ArrayList<>();
            for (PortMapping p : ports) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host_ip", p.hostIp());
                m.put("container_port", p.containerPort());
                m.put("host_port", p.hostPort());
                m.put("range", 1);
                m.put("protocol", p.protocol());
                pm.add(m);
            }
            o.put("port_mappings", pm);
        }
        Map<String, Object> nets = new LinkedHashMap<>();
        Map<String, Object> info = new LinkedHashMap<>();
        for (Attach a : attachments) {
            Map<String, Object> per = new LinkedHashMap<>();
            if (!a.staticIps().isEmpty()) {
                per.put("static_ips", a.staticIps());
            }
            if (!a.aliases().isEmpty()) {
                per.put("aliases", a.aliases());
            }
            per.put("interface_name", a.interfaceName());
            nets.put(a.network().name(), per);
            info.put(a.network().name(), a.network().toJson());
        }
        o.put("networks", nets);
        o.put("network_info", info);
        return o;
    }

    /** Sets the attachments up in the namespace; the blocks in attachment order. */
    List<Block> setup(Path netns, Map<String, Object> options) {
        String out = run("setup", netns, options);
        JsonObject result;
        try {
            result = Json.parseObject(out);
        } catch (Json.MalformedJsonException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "netavark: failed to decode result: " + e.getMessage() + ": " + out.strip());
        }
        List<Block> blocks = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> nets = (Map<String, Object>) options.get("networks");
        for (Map.Entry<String, Object> e : nets.entrySet()) {
            JsonObject b = result.obj(e.getKey());
            if (b == null) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "unexpected netavark result: no status for network " + e.getKey()
                        + ": " + out.strip());
            }
            String ifName = new JsonObject(cast(e.getValue())).str("interface_name", "");
            JsonObject interfaces = b.obj("interfaces");
            JsonObject iface = interfaces == null ? null : interfaces.obj(ifName);
            List<String> addrs = new ArrayList<>();
            List<String> gws = new ArrayList<>();
            String mac = "";
            if (iface != null) {
                mac = iface.str("mac_address", "");
                for (JsonObject s : iface.objects("subnets")) {
                    addrs.add(s.str("ipnet", ""));
                    String gw = s.str("gateway", "");
                    if (!gw.isEmpty() && !gws.contains(gw)) {
                        gws.add(gw);
                    }
                }
            }
            blocks.add(new Block(e.getKey(), ifName, addrs, gws, mac, b.strings("dns_server_ips"), b.strings("dns_search_domains")));
        }
        return blocks;
    }

    /** The DNS port aardvark-dns listens on. */
    int dnsPort() {
        return dnsPort == 0 ? 53 : dnsPort;
    }

    /**
     * Waits (up to 2 s) until aardvark-dns listens anew on each of the given addresses. netavark starts it
     * in the background, or signals a running one, which (in 1.4) closes all its sockets and binds them
     * again; both happen after netavark returned. A call to netavark before aardvark-dns wrote its PID
     * file does not find it (a teardown fails with "aardvark pid not found"), and a container started in
     * the gap finds no name server ("connection refused").
     *
     * @param before the sockets bound to those addresses before netavark ran ({@link UdpListeners#inodes})
     */
    void awaitAardvark(List<String> dnsServers, java.util.Set<String> before) {
        if (aardvark == null || dnsServers.isEmpty() || before == null) {
            return;
        }
        Path pidFile = runDir.resolve("aardvark-dns").resolve("aardvark.pid");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(pidFile) && UdpListeners.freshlyBound(dnsServers, dnsPort(), before)) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void teardown(Path netns, Map<String, Object> options) {
        run("teardown", netns, options);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private String run(String command, Path netns, Map<String, Object> options) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--config", runDir.toString(), "--rootless=false"));
        if (aardvark != null) {
            cmd.add("--aardvark-binary=" + aardvark);
        }
        cmd.add(command);
        cmd.add(netns.toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RUST_LOG", "netavark=warn");
        if (dnsPort != 0) {
            env.put("NETAVARK_DNS_PORT", Integer.toString(dnsPort));
        }
        Subprocess.Result r = Subprocess.of(cmd).stdin((Json.write(options) + "\n").getBytes(StandardCharsets.UTF_8))
                .environment(env).timeoutMillis(timeoutMillis).run();
        if (r.exitCode() != 0) {
            String msg = r.stdout().strip();
            try {
                JsonObject err = Json.parseObject(msg);
                msg = err.str("error", msg);
            } catch (Json.MalformedJsonException e) {
                String said = r.stderr().replace("failed to connect to syslog: Initialization", "").strip();
                msg = (msg + " " + said).strip();
            }
            throw new BerthException(ErrorCode.NETWORK_ERROR, "netavark (exit code " + r.exitCode() + "): " + msg);
        }
        return r.stdout();
    }
}
