package berth.network.cni;

import berth.support.HostRoutes;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.spi.network.HostEntry;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.support.AtomicFiles;
import berth.support.FileLocks;
import berth.support.FileTrees;
import berth.support.Names;
import berth.support.Stragglers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CNI network backend.
 *
 * <p>Networks are CNI configuration lists, one {@code NAME.conflist} per network in
 * {@link NetworkEnvironment#configDir()}. The default network ({@code berth}, bridge {@code berth0},
 * 10.89.0.0/24) is written on first use. {@link #setup} runs, for every network the container joins,
 * the conflist's plugins in order with CNI ADD (each plugin gets the previous one's result as
 * {@code prevResult}); {@link #teardown} runs CNI DEL in reverse order with the stored result. A
 * call that would only hand the previous result on (portmap without published ports, tuning without
 * settings: {@link PassThroughPlugins}) is done in process, in its place in the chain.
 *
 * <p>Options ({@link NetworkEnvironment#options()}, the {@code [network]} table of containers.conf,
 * every value a string): {@code default_network} (berth), {@code default_subnet} (10.89.0.0/24),
 * {@code subnet_pool} (10.89.0.0/16, carved into /24s for networks created without a subnet),
 * {@code bridge_prefix} (berth: bridges berth0, berth1, ...), {@code plugin_timeout} (seconds per
 * plugin call, 60). Other keys are ignored. Plugin directories come from
 * {@link NetworkEnvironment#pluginDirs()} (containers.conf's {@code cni_plugin_dirs}). Warnings (an
 * unreadable conflist skipped) go to {@link NetworkEnvironment#warnings()}.
 *
 * <p>Run directory layout: {@code cni-ipam/NETWORK/} host-local leases, {@code cni-hosts/NETWORK}
 * the network's containers in /etc/hosts format, {@code cni-ports} the published host ports,
 * {@code cni-teardown/ID} a teardown under way, {@code cni.lock} the lock guarding these. The
 * config directory lock is {@code cni-config.lock} in the run directory.
 */
final class CniNetworkBackend implements NetworkBackend {
    static final String ID = "cni";
    /** Network modes and names that mean something else to the engine; never network names. */
    static final Set<String> RESERVED = Set.of("bridge", "host", "none", "private", "slirp4netns", "pasta",
            "container", "ns", "default");
    /** The longest network name (podman's limit; a name is {@link Names#NAME_RULE}). */
    static final int NAME_MAX = 63;
    private static final Pattern BRIDGE_PREFIX = Pattern.compile("[a-zA-Z0-9_-]{1,11}");
    /** The per-container options of bridge networks: {@code ip=ADDRESS} asks host-local for that address on the first network. */
    static final Set<String> SPEC_OPTIONS = Set.of("ip");

    private final Path configDir;
    private final Path runDir;
    private final String defaultNetwork;
    private final Ipv4Subnet defaultSubnet;
    private final Ipv4Subnet pool;
    private final String bridgePrefix;
    final CniInvoker invoker;
    private final CniChain chain;
    private final HostPorts ports;
    final HostsFiles hosts;
    /** How long a teardown waits for a dead berth's plugin to finish (a plugin takes well under a second). */
    private static final long STRAGGLER_GRACE_MILLIS = 10_000;
    private final TeardownMarks teardowns;
    final Path runLock;
    private final Path configLock;
    private final java.util.function.Consumer<String> warnings;
    /** False when containers.conf's {@code network_backend} (or {@code --network-backend}) chose another backend. */
    private final boolean chosen;

    CniNetworkBackend(NetworkEnvironment env) {
        this.configDir = env.configDir();
        this.runDir = env.runDir();
        this.warnings = env.warnings() == null ? w -> { } : env.warnings();
        Map<String, String> o = env.options();
        String choice = o.getOrDefault("network_backend", "").trim();
        this.chosen = choice.isEmpty() || choice.equals(ID);
        this.defaultNetwork = o.getOrDefault("default_network", "berth");
        checkName(defaultNetwork, "default_network option");
        this.defaultSubnet = Ipv4Subnet.parse(o.getOrDefault("default_subnet", "10.89.0.0/24"));
        this.pool = Ipv4Subnet.parse(o.getOrDefault("subnet_pool", "10.89.0.0/16"));
        if (pool.prefix() > 24) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "subnet_pool " + pool + " must be /24 or larger");
        }
        this.bridgePrefix = o.getOrDefault("bridge_prefix", "berth");
        if (!BRIDGE_PREFIX.matcher(bridgePrefix).matches()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "bridge_prefix \"" + bridgePrefix
                    + "\" must be 1-11 letters, digits, '_' or '-'");
        }
        long timeout;
        try {
            timeout = Long.parseLong(o.getOrDefault("plugin_timeout", "60").trim()) * 1000L;
        } catch (NumberFormatException e) {
            timeout = -1;
        }
        if (timeout <= 0) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "plugin_timeout \"" + o.get("plugin_timeout")
                    + "\" must be a positive number of seconds");
        }
        this.invoker = new CniInvoker(env.pluginDirs(), timeout);
        this.chain = new CniChain(invoker);
        this.ports = new HostPorts(runDir.resolve("cni-ports"));
        this.hosts = new HostsFiles(runDir.resolve("cni-hosts"));
        this.teardowns = new TeardownMarks(runDir.resolve("cni-teardown"));
        this.runLock = runDir.resolve("cni.lock");
        this.configLock = runDir.resolve("cni-config.lock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<NetworkCapability> capabilities() {
        return EnumSet.allOf(NetworkCapability.class);
    }

    /** The {@code default_network} option (podman's containers.conf key), else "berth". */
    @Override
    public Optional<String> defaultNetwork() {
        return Optional.of(defaultNetwork);
    }

    @Override
    public NetworkStatus connect(NetworkRequest request, NetworkStatus current, String network, List<String> aliases) {
        return new CniConnections(this).connect(request, current, network);
    }

    @Override
    public NetworkStatus disconnect(NetworkRequest request, NetworkStatus current, String network) {
        return new CniConnections(this).disconnect(request, current, network);
    }

    @Override
    public boolean handles(String mode) {
        if (mode == null || !chosen) {
            return false; // another backend serves bridge and named networks; ours are still torn down by id
        }
        if (mode.equals("bridge")) {
            return true;
        }
        if (!Names.isValidName(mode, NAME_MAX) || RESERVED.contains(mode)) {
            return false;
        }
        return mode.equals(defaultNetwork) || Files.isRegularFile(confFile(mode));
    }

    // ---------------------------------------------------------------------------------------------
    // setup / teardown

    /** One network a container is attached to; {@code result} is the last plugin's ADD result. */
    static final class Attachment {
        final String network;
        final String ifName;
        final Map<String, Object> conflist;
        final List<PortMapping> ports;
        final String args;
        Map<String, Object> result;

        Attachment(String network, String ifName, Map<String, Object> conflist, List<PortMapping> ports, String args,
                Map<String, Object> result) {
            this.network = network;
            this.ifName = ifName;
            this.conflist = conflist;
            this.ports = ports;
            this.args = args;
            this.result = result;
        }

        String cniVersion() {
            return new JsonObject(conflist).str("cniVersion", "");
        }

        List<JsonObject> plugins() {
            return new JsonObject(conflist).objects("plugins");
        }
    }

    @Override
    public NetworkStatus setup(NetworkRequest request) {
        String cid = containerId(request);
        NetworkSpec spec = request.spec();
        List<String> names = networksFor(spec);
        String staticIp = checkOptions(spec);
        List<PortMapping> published = spec.ports();
        HostPorts.validate(published);
        List<CniNetwork> nets = new ArrayList<>();
        for (String n : names) {
            nets.add(network(n));
        }
        // Everything that can be checked is checked before anything changes on the host.
        for (CniNetwork net : nets) {
            for (String type : net.pluginTypes()) {
                invoker.find(type, net.name());
            }
        }
        if (staticIp != null) {
            Ipv4Subnet sn = nets.get(0).subnet();
            int addr = Ipv4Subnet.parseAddress(staticIp, "ip=" + staticIp);
            if (sn != null && !sn.isUsableHost(addr)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "ip=" + staticIp + " is not a usable address of network \""
                        + nets.get(0).name() + "\" (subnet " + sn + ")");
            }
        }
        Path netnsPath = request.netnsPath();
        if (netnsPath == null || !Files.exists(netnsPath)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network namespace " + netnsPath + " of container "
                    + label(request) + " does not exist");
        }
        String netns = netnsPath.toString();
        FileLocks.withLock(runLock, () -> ports.reserve(cid, published));

        // No loopback plugin: the engine hands over namespaces with lo up (NetworkBackend's contract), as
        // podman's libnetwork brings lo up itself; a plugin process for it cost a fork and exec each way.
        List<Attachment> attempted = new ArrayList<>();
        try {
            for (int i = 0; i < nets.size(); i++) {
                CniNetwork net = nets.get(i);
                String args = "IgnoreUnknown=1" + (i == 0 && staticIp != null ? ";IP=" + staticIp : "");
                Attachment a = new Attachment(net.name(), "eth" + i, effectiveConflist(net),
                        i == 0 ? published : List.of(), args, null);
                attempted.add(a);
                add(a, cid, netns);
            }
            return status(request, attempted);
        } catch (RuntimeException e) {
            List<String> problems = new ArrayList<>();
            // An interrupted setup must still roll back: with the flag set every DEL would fail at once.
            boolean interrupted = Thread.interrupted();
            try {
                for (int i = attempted.size() - 1; i >= 0; i--) {
                    del(attempted.get(i), cid, netns, problems);
                }
                problems.addAll(IptablesJanitor.sweep(cid));
                try {
                    FileLocks.withLock(runLock, () -> {
                        ports.release(cid);
                        hosts.remove(cid);
                    });
                } catch (RuntimeException e2) {
                    problems.add(e2.getMessage());
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            ErrorCode code = e instanceof BerthException ? ((BerthException) e).code() : ErrorCode.NETWORK_ERROR;
            String msg = "cannot set up the network of container " + label(request) + ": " + e.getMessage();
            if (!problems.isEmpty()) {
                msg += " (undoing the partial setup also failed: " + String.join("; ", problems) + ")";
            }
            throw new BerthException(code, msg, e);
        }
    }

    void add(Attachment a, String cid, String netns) {
        chain.add(a, cid, netns);
    }

    /** DEL in reverse plugin order; failures are collected, the remaining plugins still run. */
    void del(Attachment a, String cid, String netns, List<String> problems) {
        chain.del(a, cid, netns, problems);
    }

    @Override
    public void teardown(NetworkRequest request, NetworkStatus status) {
        String cid = containerId(request);
        Path netnsPath = request.netnsPath();
        // CNI_NETNS is empty when the namespace is gone: plugins then release what they can without it.
        String netns = netnsPath != null && Files.exists(netnsPath) ? netnsPath.toString() : "";
        List<Attachment> attachments = attachmentsFromStatus(status);
        boolean completeSetup = attachments != null;
        if (!completeSetup || teardowns.isUnderWay(cid)) {
            // a berth killed during the ADD leaves its plugin running: let it finish (and make its lease)
            // before the leases are read and the DEL undoes it
            Stragglers.awaitOrKill("CNI_CONTAINERID=" + cid, STRAGGLER_GRACE_MILLIS);
        }
        if (attachments == null) {
            attachments = attachmentsFromSpec(request.spec());
        }
        for (Attachment a : attachments) {
            if (a.result == null) {
                completeSetup = false;
                a.result = resultFromLeases(a, cid);
            }
        }
        boolean retry = teardowns.begin(cid);
        List<String> problems = new ArrayList<>();
        // a complete setup's rules go in one batch first (one RCU grace period instead of one per rule),
        // while the first plugin to run next starts
        boolean batch = completeSetup && !retry && !netns.isEmpty();
        List<Attachment> all = attachments;
        Set<String> doneAhead = null;
        for (int i = attachments.size() - 1; i >= 0; i--) {
            if (doneAhead == null) {
                doneAhead = chain.del(attachments.get(i), cid, netns, problems, batch ? RulesAhead.TYPES : Set.of(),
                        () -> batch && RulesAhead.delete(cid, all) ? RulesAhead.TYPES : Set.of());
            } else {
                Set<String> done = doneAhead;
                chain.del(attachments.get(i), cid, netns, problems, done, () -> done);
            }
        }
        // The plugins delete their own rules when their DEL gets the namespace and the result of a whole
        // setup; only otherwise may something be left for the sweep (two iptables processes saved).
        if (!completeSetup || retry || netns.isEmpty() || !problems.isEmpty()) {
            problems.addAll(IptablesJanitor.sweep(cid));
            berth.kernel.trace.Trace.mark("cni: iptables sweep");
        }
        FileLocks.withLock(runLock, () -> {
            ports.release(cid);
            hosts.remove(cid);
        });
        teardowns.end(cid);
        if (!problems.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "tearing down the network of container " + label(request)
                    + ": " + String.join("; ", problems));
        }
    }

    /**
     * CNI CHECK of every attachment, in plugin order with the stored result. Not part of the SPI; kept
     * for diagnostics and tests. Throws the first plugin's failure.
     */
    void check(NetworkRequest request, NetworkStatus status) {
        String cid = containerId(request);
        List<Attachment> attachments = attachmentsFromStatus(status);
        if (attachments == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + label(request) + " has no CNI results to check");
        }
        String netns = String.valueOf(request.netnsPath());
        for (Attachment a : attachments) {
            for (JsonObject plugin : a.plugins()) {
                invoker.invoke(plugin.str("type"), "CHECK", new CniInvoker.Call(cid, netns, a.ifName, a.args),
                        pluginConfig(a, plugin, a.result), a.network);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // status

    NetworkStatus status(NetworkRequest request, List<Attachment> attached) {
        String cid = containerId(request);
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        List<NetworkAttachment> typed = new ArrayList<>();
        List<String> dnsServers = new ArrayList<>();
        List<String> dnsSearch = new ArrayList<>();
        List<Object> networks = new ArrayList<>();
        for (Attachment a : attached) {
            Map<String, Object> summary = summarize(a.result, a.ifName);
            @SuppressWarnings("unchecked")
            List<String> cidrs = (List<String>) summary.get("ips");
            List<String> bare = new ArrayList<>();
            for (String c : cidrs) {
                bare.add(c.contains("/") ? c.substring(0, c.indexOf('/')) : c);
            }
            addresses.put(a.network, bare);
            @SuppressWarnings("unchecked")
            List<String> gws = (List<String>) summary.get("gateways");
            typed.add(new NetworkAttachment(a.network, a.ifName, cidrs, gws, String.valueOf(summary.get("mac"))));
            if (summary.get("dns") instanceof Map<?, ?> dns) {
                addAllNew(dnsServers, dns.get("nameservers"));
                addAllNew(dnsSearch, dns.get("search"));
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", a.network);
            n.putAll(summary);
            n.put("args", a.args);
            n.put("config", a.conflist);
            n.put("result", a.result);
            networks.add(n);
        }
        String names = hostNames(request);
        List<String> hostEntries = new ArrayList<>();
        Map<String, Object> hostsFiles = new LinkedHashMap<>();
        FileLocks.withLock(runLock, () -> {
            for (Attachment a : attached) {
                List<String> ips = addresses.get(a.network);
                if (!ips.isEmpty()) {
                    hosts.add(a.network, cid, ips.get(0), names);
                }
                hostsFiles.put(a.network, hosts.file(a.network).toString());
                for (String e : hosts.entries(a.network)) {
                    if (!hostEntries.contains(e)) {
                        hostEntries.add(e);
                    }
                }
            }
        });
        List<Object> portList = new ArrayList<>();
        for (PortMapping p : attached.isEmpty() ? List.<PortMapping>of() : attached.get(0).ports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostIp", p.hostIp());
            m.put("hostPort", p.hostPort());
            m.put("containerPort", p.containerPort());
            m.put("protocol", p.protocol());
            portList.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("networks", networks);
        details.put("ports", portList);
        details.put("hosts", hostEntries);
        details.put("hostsFiles", hostsFiles);
        List<HostEntry> typedHosts = new ArrayList<>();
        for (String e : hostEntries) {
            String[] f = e.trim().split("\\s+");
            if (f.length >= 2) {
                typedHosts.add(new HostEntry(f[0], List.of(f).subList(1, f.length)));
            }
        }
        return new NetworkStatus(ID, typed, dnsServers, dnsSearch, typedHosts, details);
    }

    private static void addAllNew(List<String> into, Object values) {
        if (values instanceof List<?> l) {
            for (Object v : l) {
                if (!into.contains(String.valueOf(v))) {
                    into.add(String.valueOf(v));
                }
            }
        }
    }

    /** The container-side view of a CNI result: its addresses (CIDR), gateways, MAC and the host-side interfaces. */
    static Map<String, Object> summarize(Map<String, Object> result, String ifName) {
        JsonObject r = new JsonObject(result == null ? new LinkedHashMap<>() : result);
        List<String> ips = new ArrayList<>();
        List<String> gateways = new ArrayList<>();
        List<JsonObject> ifaces = r.objects("interfaces");
        for (JsonObject ip : r.objects("ips")) {
            if (ip.has("interface")) {
                int idx = ip.integer("interface", -1);
                if (idx >= 0 && idx < ifaces.size() && !ifaces.get(idx).has("sandbox")) {
                    continue; // an address of a host-side interface
                }
            }
            if (ip.has("address")) {
                ips.add(ip.str("address"));
            }
            if (ip.has("gateway") && !gateways.contains(ip.str("gateway"))) {
                gateways.add(ip.str("gateway"));
            }
        }
        JsonObject ip4 = r.obj("ip4"); // results of spec 0.2.0 and older
        if (ips.isEmpty() && ip4 != null && ip4.has("ip")) {
            ips.add(ip4.str("ip"));
            if (ip4.has("gateway")) {
                gateways.add(ip4.str("gateway"));
            }
        }
        String mac = "";
        List<String> hostIfaces = new ArrayList<>();
        for (JsonObject i : ifaces) {
            if (i.has("sandbox")) {
                if (i.str("name", "").equals(ifName)) {
                    mac = i.str("mac", "");
                }
            } else if (i.has("name")) {
                hostIfaces.add(i.str("name"));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interface", ifName);
        out.put("ips", ips);
        out.put("gateways", gateways);
        out.put("mac", mac);
        out.put("hostInterfaces", hostIfaces);
        JsonObject dns = r.obj("dns");
        if (dns != null && !dns.asMap().isEmpty()) {
            out.put("dns", dns.asMap());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Attachment> attachmentsFromStatus(NetworkStatus status) {
        if (status == null || !(status.details().get("networks") instanceof List)) {
            return null;
        }
        List<PortMapping> published = new ArrayList<>();
        Object ps = status.details().get("ports");
        if (ps instanceof List) {
            for (Object o : (List<?>) ps) {
                if (o instanceof Map) {
                    JsonObject p = new JsonObject((Map<String, Object>) o);
                    published.add(new PortMapping(p.str("hostIp", ""), p.integer("hostPort", 0), p.integer("containerPort", 0),
                            p.str("protocol", "tcp")));
                }
            }
        }
        List<Attachment> out = new ArrayList<>();
        int i = 0;
        for (Object o : (List<?>) status.details().get("networks")) {
            if (!(o instanceof Map)) {
                continue;
            }
            JsonObject n = new JsonObject((Map<String, Object>) o);
            String name = n.str("name", "");
            JsonObject conf = n.obj("config");
            Map<String, Object> conflist;
            if (conf != null) {
                conflist = CniNetwork.deepCopy(conf.asMap());
            } else if (Files.isRegularFile(confFile(name))) {
                conflist = effectiveConflist(CniNetwork.load(confFile(name)));
            } else {
                continue;
            }
            JsonObject res = n.obj("result");
            out.add(new Attachment(name, n.str("interface", "eth" + i), conflist, i == 0 ? published : List.of(),
                    n.str("args", "IgnoreUnknown=1"), res == null ? null : CniNetwork.deepCopy(res.asMap())));
            i++;
        }
        return out;
    }

    /** Without a stored status (a setup that crashed before the engine saved it): the networks the spec names, as configured now. */
    private List<Attachment> attachmentsFromSpec(NetworkSpec spec) {
        List<Attachment> out = new ArrayList<>();
        if (spec == null || !spec.needsBackend()) {
            return out;
        }
        List<String> names;
        try {
            names = networksFor(spec);
        } catch (BerthException e) {
            return out;
        }
        int i = 0;
        for (String n : names) {
            if (Files.isRegularFile(confFile(n))) {
                try {
                    out.add(new Attachment(n, "eth" + i, effectiveConflist(CniNetwork.load(confFile(n))),
                            i == 0 ? spec.ports() : List.of(), "IgnoreUnknown=1", null));
                } catch (BerthException e) {
                    // an unreadable config cannot be torn down by its plugins
                }
            }
            i++;
        }
        return out;
    }

    /**
     * Without a stored result, the container's addresses are still known to host-local: its lease
     * files are named by address and hold the container id and interface. A result rebuilt from them
     * lets plugins that clean up per address (firewall) do so.
     */
    private static Map<String, Object> resultFromLeases(Attachment a, String cid) {
        List<Object> ips = new ArrayList<>();
        for (JsonObject plugin : a.plugins()) {
            JsonObject ipam = plugin.obj("ipam");
            if (ipam == null || !"host-local".equals(ipam.str("type")) || !ipam.has("dataDir")) {
                continue;
            }
            List<Ipv4Subnet> subnets = new ArrayList<>();
            CniNetwork tmp = new CniNetwork(a.network, Path.of(""), a.conflist);
            if (tmp.subnet() != null) {
                subnets.add(tmp.subnet());
            }
            Path dir = Path.of(ipam.str("dataDir")).resolve(a.network);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    String ip = f.getFileName().toString();
                    if (!ip.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
                        continue;
                    }
                    String[] owner = Files.readString(f).trim().split("\\s+");
                    if (owner.length == 0 || !owner[0].equals(cid) || (owner.length > 1 && !owner[1].equals(a.ifName))) {
                        continue;
                    }
                    int prefix = 32;
                    for (Ipv4Subnet sn : subnets) {
                        if (sn.contains(Ipv4Subnet.parseAddress(ip, ip))) {
                            prefix = sn.prefix();
                        }
                    }
                    ips.add(new LinkedHashMap<>(Map.of("address", ip + "/" + prefix)));
                }
            } catch (IOException | RuntimeException e) {
                // no usable leases: the plugins clean up what they can without addresses
            }
        }
        if (ips.isEmpty()) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cniVersion", a.cniVersion());
        r.put("ips", ips);
        return r;
    }

    // ---------------------------------------------------------------------------------------------
    // plugin configuration

    /** The conflist as the plugins get it: host-local leases kept under the run directory unless the config says otherwise. */
    Map<String, Object> effectiveConflist(CniNetwork net) {
        Map<String, Object> c = net.conflistCopy();
        Object plugins = c.get("plugins");
        if (plugins instanceof List) {
            for (Object p : (List<?>) plugins) {
                if (p instanceof Map && ((Map<?, ?>) p).get("ipam") instanceof Map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ipam = (Map<String, Object>) ((Map<?, ?>) p).get("ipam");
                    if ("host-local".equals(ipam.get("type")) && !ipam.containsKey("dataDir")) {
                        ipam.put("dataDir", runDir.resolve("cni-ipam").toString());
                    }
                }
            }
        }
        return c;
    }

    /** One plugin's stdin: its config plus name, cniVersion, the runtimeConfig of its capabilities, prevResult. */
    static Map<String, Object> pluginConfig(Attachment a, JsonObject plugin, Map<String, Object> prevResult) {
        Map<String, Object> c = CniNetwork.deepCopy(plugin.asMap());
        JsonObject list = new JsonObject(a.conflist);
        c.put("cniVersion", list.str("cniVersion"));
        c.put("name", list.str("name"));
        c.remove("prevResult");
        c.remove("runtimeConfig");
        JsonObject caps = plugin.obj("capabilities");
        if (caps != null) {
            Map<String, Object> rc = new LinkedHashMap<>();
            if (caps.bool("portMappings", false) && !a.ports.isEmpty()) {
                List<Object> pm = new ArrayList<>();
                for (PortMapping p : a.ports) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("hostPort", p.hostPort());
                    m.put("containerPort", p.containerPort());
                    m.put("protocol", p.protocol());
                    if (!p.hostIp().isEmpty() && !p.hostIp().equals("0.0.0.0")) {
                        m.put("hostIP", p.hostIp());
                    }
                    pm.add(m);
                }
                rc.put("portMappings", pm);
            }
            if (!rc.isEmpty()) {
                c.put("runtimeConfig", rc);
            }
        }
        if (prevResult != null) {
            c.put("prevResult", prevResult);
        }
        return c;
    }

    // ---------------------------------------------------------------------------------------------
    // named networks

    @Override
    public List<NetworkDefinition> networks() {
        ensureDefault();
        List<NetworkDefinition> out = new ArrayList<>();
        for (Path f : confFiles()) {
            try {
                out.add(definition(CniNetwork.load(f)));
            } catch (BerthException e) {
                warnings.accept("skipping network config " + f + ": " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        checkName(name, "network name");
        return FileLocks.withLock(configLock, () -> {
            if (!name.equals(defaultNetwork)) {
                ensureDefault();
            }
            if (Files.exists(confFile(name))) {
                throw new BerthException(ErrorCode.NAME_IN_USE, "network \"" + name + "\" already exists");
            }
            List<CniNetwork> existing = loadAll();
            Ipv4Subnet sn;
            if (subnet == null || subnet.isBlank()) {
                sn = pickSubnet(name, existing);
            } else {
                sn = Ipv4Subnet.parse(subnet);
                checkFree(name, sn, existing);
            }
            return definition(write(name, sn, gateway, existing));
        });
    }

    @Override
    public void removeNetwork(String name) {
        remove(name, false);
    }

    /** Every network, the default one too, with its bridge, leases and hosts files: {@code system reset}. */
    @Override
    public void reset() {
        for (NetworkDefinition d : networks()) {
            remove(d.name(), true);
        }
    }

    private void remove(String name, boolean evenTheDefault) {
        if (name == null || !Names.isValidName(name, NAME_MAX) || !Files.isRegularFile(confFile(name))) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network \"" + name + "\" not found (no " + name
                    + CniNetwork.SUFFIX + " in " + configDir + ")");
        }
        if (name.equals(defaultNetwork) && !evenTheDefault) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the default network \"" + name + "\" cannot be removed");
        }
        FileLocks.withLock(configLock, () -> {
            String bridge = null;
            try {
                bridge = CniNetwork.load(confFile(name)).bridge();
            } catch (BerthException e) {
                // remove a broken config all the same
            }
            try {
                Files.deleteIfExists(confFile(name));
            } catch (IOException e) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot remove " + confFile(name) + ": " + e.getMessage(), e);
            }
            if (bridge != null && Files.isDirectory(Path.of("/sys/class/net", bridge)) && isEmptyDir(Path.of("/sys/class/net", bridge, "brif"))) {
                IptablesJanitor.run(List.of("ip", "link", "del", bridge));
            }
            deleteTree(runDir.resolve("cni-ipam").resolve(name));
        });
        FileLocks.withLock(runLock, () -> hosts.delete(name));
    }

    private void ensureDefault() {
        if (Files.isRegularFile(confFile(defaultNetwork))) {
            return;
        }
        FileLocks.withLock(configLock, () -> {
            if (!Files.isRegularFile(confFile(defaultNetwork))) {
                write(defaultNetwork, defaultSubnet, null, List.of());
            }
        });
    }

    /** Writes a new bridge network's conflist (config lock held). */
    private CniNetwork write(String name, Ipv4Subnet sn, String gateway, List<CniNetwork> existing) {
        int gw;
        if (gateway == null || gateway.isBlank()) {
            gw = sn.firstHost();
        } else {
            gw = Ipv4Subnet.parseAddress(gateway, gateway);
            if (!sn.isUsableHost(gw)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "gateway " + gateway + " of network \"" + name
                        + "\" is not a usable address of its subnet " + sn);
            }
        }
        String bridge = name.equals(defaultNetwork) ? bridgePrefix + "0" : pickBridge(existing);
        String version = negotiateVersion(name);
        Map<String, Object> conf = CniNetwork.bridgeConflist(name, version, bridge, sn, Ipv4Subnet.format(gw));
        // FULL: a network the user created must survive a power loss once `network create` returned
        writeFile(confFile(name), Json.write(conf, true) + "\n", AtomicFiles.Durability.FULL);
        return CniNetwork.load(confFile(name));
    }

    /** The newest spec version the bridge plugin supports, of those berth speaks (1.0.0, 0.4.0, 0.3.1). */
    private String negotiateVersion(String network) {
        List<String> supported = invoker.supportedVersions("bridge", network);
        for (String v : List.of("1.0.0", "0.4.0", "0.3.1")) {
            if (supported.contains(v)) {
                return v;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "CNI plugin \"bridge\" in " + invoker.dirs()
                + " supports CNI versions " + supported + ", none of 1.0.0, 0.4.0, 0.3.1");
    }

    private void checkFree(String name, Ipv4Subnet sn, List<CniNetwork> existing) {
        List<String> ourBridges = new ArrayList<>();
        for (CniNetwork n : existing) {
            Ipv4Subnet other = n.subnet();
            if (other != null && other.overlaps(sn)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "subnet " + sn + " of network \"" + name
                        + "\" overlaps subnet " + other + " of network \"" + n.name() + "\"");
            }
            if (n.bridge() != null) {
                ourBridges.add(n.bridge());
            }
        }
        for (Route r : hostRoutes()) {
            if (!ourBridges.contains(r.iface) && r.subnet.overlaps(sn)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "subnet " + sn + " of network \"" + name
                        + "\" overlaps the host route " + r.subnet + " on interface " + r.iface);
            }
        }
    }

    private Ipv4Subnet pickSubnet(String name, List<CniNetwork> existing) {
        List<Ipv4Subnet> taken = new ArrayList<>();
        for (CniNetwork n : existing) {
            if (n.subnet() != null) {
                taken.add(n.subnet());
            }
        }
        for (Route r : hostRoutes()) {
            taken.add(r.subnet);
        }
        long count = 1L << (24 - pool.prefix());
        for (long i = 0; i < count; i++) {
            Ipv4Subnet candidate = new Ipv4Subnet(pool.network() + (int) (i << 8), 24);
            if (taken.stream().noneMatch(t -> t.overlaps(candidate))) {
                return candidate;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot create network \"" + name + "\": every /24 of the subnet pool "
                + pool + " is used by a network or a host route; give a subnet explicitly");
    }

    private String pickBridge(List<CniNetwork> existing) {
        List<String> used = new ArrayList<>();
        for (CniNetwork n : existing) {
            if (n.bridge() != null) {
                used.add(n.bridge());
            }
        }
        for (int i = 1; i < 10000; i++) {
            String b = bridgePrefix + i;
            if (!used.contains(b) && !Files.exists(Path.of("/sys/class/net", b))) {
                return b;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "no free bridge name with prefix " + bridgePrefix);
    }

    private record Route(Ipv4Subnet subnet, String iface) {
    }

    private static List<Route> hostRoutes() {
        List<Route> out = new ArrayList<>();
        for (HostRoutes.Route r : HostRoutes.ipv4()) {
            out.add(new Route(new Ipv4Subnet(r.destination(), r.prefix()), r.iface()));
        }
        return out;
    }

    private NetworkDefinition definition(CniNetwork n) {
        String[] sg = n.subnetAndGateway();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cniVersion", n.cniVersion());
        details.put("plugins", n.pluginTypes());
        if (n.bridge() != null) {
            details.put("bridge", n.bridge());
        }
        details.put("configFile", n.file().toString());
        details.put("hostsFile", hosts.file(n.name()).toString());
        details.put("default", n.name().equals(defaultNetwork));
        return new NetworkDefinition(n.name(), n.driver(), sg[0] == null ? "" : sg[0], sg[1] == null ? "" : sg[1], details);
    }

    private List<CniNetwork> loadAll() {
        List<CniNetwork> out = new ArrayList<>();
        for (Path f : confFiles()) {
            try {
                out.add(CniNetwork.load(f));
            } catch (BerthException e) {
                // a broken config claims no subnet
            }
        }
        return out;
    }

    private List<Path> confFiles() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(configDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(configDir, "*" + CniNetwork.SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot list " + configDir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private Path confFile(String name) {
        return configDir.resolve(name + CniNetwork.SUFFIX);
    }

    CniNetwork network(String name) {
        if (name.equals(defaultNetwork)) {
            ensureDefault();
        }
        Path f = confFile(name);
        if (!Files.isRegularFile(f)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network \"" + name + "\" not found (no " + name
                    + CniNetwork.SUFFIX + " in " + configDir + ")");
        }
        return CniNetwork.load(f);
    }

    /** The networks a container joins: its mode when that names a network, then its network list; else the default network. */
    List<String> networksFor(NetworkSpec spec) {
        List<String> out = new ArrayList<>();
        if (!spec.mode().equals("bridge")) {
            out.add(spec.mode());
        }
        for (String n : spec.networks()) {
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            out.add(defaultNetwork);
        }
        for (String n : out) {
            checkName(n, "network name");
        }
        return out;
    }

    private static String checkOptions(NetworkSpec spec) {
        for (String k : spec.options().keySet()) {
            if (!SPEC_OPTIONS.contains(k)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown option \"" + k + "\" for bridge networks (known: "
                        + String.join(", ", SPEC_OPTIONS) + ")");
            }
        }
        String ip = spec.options().get("ip");
        return ip == null || ip.isBlank() ? null : ip.trim();
    }

    private static void checkName(String name, String what) {
        if (name == null || !Names.isValidName(name, NAME_MAX)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + name
                    + "\": use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters");
        }
        if (RESERVED.contains(name)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + what + " \"" + name + "\": the name is reserved");
        }
    }

    static String containerId(NetworkRequest request) {
        String cid = request.containerId();
        if (cid == null || cid.isEmpty() || cid.contains("\"") || cid.contains("\n")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid container id \"" + cid + "\"");
        }
        return cid;
    }

    static String label(NetworkRequest r) {
        return r.containerName() != null && !r.containerName().isEmpty() ? r.containerName() : r.containerId();
    }

    private static String hostNames(NetworkRequest r) {
        String name = r.containerName() == null || r.containerName().isEmpty() ? r.containerId() : r.containerName();
        String host = r.hostname();
        return host == null || host.isEmpty() || host.equals(name) ? name : name + " " + host;
    }

    private static boolean isEmptyDir(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (BerthException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, e.getMessage(), e);
        }
    }

    /**
     * {@link AtomicFiles#write} with this backend's error code: a file it cannot write is a
     * {@link ErrorCode#NETWORK_ERROR} ("cannot write FILE: why"), as it always was.
     */
    static void writeFile(Path file, String content, AtomicFiles.Durability durability) {
        try {
            AtomicFiles.write(file, content, durability);
        } catch (BerthException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, e.getMessage(), e);
        }
    }
}
