package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkCapability;
import berth.kernel.spi.network.NetworkCreateOptions;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.support.FileLocks;
import berth.support.HostPorts;
import berth.support.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The netavark backend: podman 4's networks (see {@link NetworkConfigs}), addresses from podman's
 * ipam.db ({@link IpamDb}), and the namespace, firewall, port and DNS work done by netavark. It claims
 * the bridge mode and named networks only when containers.conf chooses it ({@code network_backend =
 * "netavark"}), so it can be installed beside the CNI backend.
 *
 * <p>Teardown is driven by what ipam.db records for the container (the status may be lost): each
 * network where it holds addresses is torn down by netavark and its addresses freed; with none left,
 * teardown does nothing, so a second call is harmless.
 */
final class NetavarkNetworkBackend implements NetworkBackend {
    static final String ID = "netavark";
    /** Per-container options of the bridge mode: {@code ip=ADDRESS} asks for that address on the first network. */
    static final Set<String> SPEC_OPTIONS = Set.of("ip");

    private final NetavarkSettings settings;
    private final NetworkConfigs configs;
    private final IpamDb ipam;
    private final Path lock;

    NetavarkNetworkBackend(NetavarkSettings settings) {
        this.settings = settings;
        this.configs = new NetworkConfigs(settings);
        this.ipam = new IpamDb(settings.runDir());
        this.lock = settings.runDir().resolve("berth-netavark.lock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<NetworkCapability> capabilities() {
        return EnumSet.of(NetworkCapability.NAMED_NETWORKS, NetworkCapability.PEERS, NetworkCapability.PORT_PUBLISHING,
                NetworkCapability.CONNECT);
    }

    @Override
    public Optional<String> defaultNetwork() {
        return settings.chosen() ? Optional.of(settings.defaultNetwork()) : Optional.empty();
    }

    @Override
    public boolean handles(String mode) {
        if (!settings.chosen() || mode == null) {
            return false;
        }
        if (mode.equals("bridge")) {
            return true;
        }
        return !NetworkConfigs.MODES.contains(mode) && Names.isValidName(mode, NetworkConfigs.NAME_MAX) && configs.find(mode).isPresent();
    }

    // ------------------------------------------------------------------------------------ setup

    @Override
    public NetworkStatus setup(NetworkRequest request) {
        String cid = containerId(request);
        NetworkSpec spec = request.spec();
        Integer staticIp = staticIp(spec);
        List<PodmanNetwork> nets = new ArrayList<>();
        for (String name : networksFor(spec)) {
            nets.add(configs.require(name));
        }
        // Everything that can be checked is checked before anything changes.
        Netavark netavark = netavark();
        Path netns = existingNamespace(request);
        for (PortMapping p : spec.ports()) {
            HostPorts.requireFree(p);
        }
        if (staticIp != null && !nets.get(0).subnets().stream().anyMatch(s -> s.isIpv4() && s.ipv4().isUsableHost(staticIp))) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "ip=" + Ipv4Net.dotted(staticIp) + " is not a usable address of network \""
                    + nets.get(0).name() + "\" " + nets.get(0).subnets().stream().map(PodmanNetwork.Subnet::subnet).toList());
        }
        List<IpamDb.Request> wanted = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            wanted.add(new IpamDb.Request(nets.get(i), i == 0 ? staticIp : null));
        }
        return FileLocks.withLock(lock, () -> {
            Map<String, List<Integer>> ips = ipam.allocate(cid, wanted);
            List<Netavark.Attach> attachments = new ArrayList<>();
            for (int i = 0; i < nets.size(); i++) {
                attachments.add(attach(nets.get(i), "eth" + i, ips.getOrDefault(nets.get(i).name(), List.of()), cid));
            }
            Map<String, Object> options = Netavark.options(cid, request.containerName(), spec.ports(), attachments);
            java.util.Set<String> dnsBefore = UdpListeners.inodes(gateways(nets), netavark.dnsPort());
            try {
                List<Netavark.Block> blocks = netavark.setup(netns, options);
                NetworkStatus st = Statuses.of(request, blocks, attachments, settings.runDir());
                netavark.awaitAardvark(st.dnsServers(), dnsBefore);
                return st;
            } catch (RuntimeException e) {
                throw undo(request, netavark, netns, options, nets, e, "set up the network of container");
            }
        });
    }

    private Netavark.Attach attach(PodmanNetwork n, String ifName, List<Integer> ips, String cid) {
        return new Netavark.Attach(n, ifName, ips.stream().map(Ipv4Net::dotted).toList(), List.of(Names.shortId(cid)));
    }

    /** Rolls a failed setup or connect back (netavark teardown, addresses freed) and says what failed. */
    private BerthException undo(NetworkRequest request, Netavark netavark, Path netns, Map<String, Object> options,
            List<PodmanNetwork> nets, RuntimeException cause, String what) {
        List<String> problems = new ArrayList<>();
        // An interrupted setup must still roll back: with the flag set every step would fail at once.
        boolean interrupted = Thread.interrupted();
        try {
            try {
                netavark.teardown(netns, options);
            } catch (RuntimeException e) {
                // a half-made setup: netavark names what it did not find, which is expected here
            }
            for (PodmanNetwork n : nets) {
                try {
                    ipam.release(request.containerId(), n.name());
                } catch (RuntimeException e) {
                    problems.add(e.getMessage());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        ErrorCode code = cause instanceof BerthException b ? b.code() : ErrorCode.NETWORK_ERROR;
        String msg = "cannot " + what + " " + label(request) + ": " + cause.getMessage();
        if (!problems.isEmpty()) {
            msg += " (undoing the partial setup also failed: " + String.join("; ", problems) + ")";
        }
        return new BerthException(code, msg, cause);
    }

    // ------------------------------------------------------------------------------------ teardown

    @Override
    public void teardown(NetworkRequest request, NetworkStatus status) {
        String cid = containerId(request);
        FileLocks.withLock(lock, () -> {
            Map<String, List<String>> held = ipam.assigned(cid);
            if (held.isEmpty()) {
                return; // nothing set up, or torn down already
            }
            tearDown(request, interfaceNames(request, status, held.keySet()), held, request.spec().ports());
        });
    }

    /** Tears the given networks down with netavark and frees their addresses; problems reported once all is done. */
    private void tearDown(NetworkRequest request, Map<String, String> interfaces, Map<String, List<String>> held,
            List<PortMapping> ports) {
        String cid = request.containerId();
        List<String> problems = new ArrayList<>();
        List<Netavark.Attach> attachments = new ArrayList<>();
        for (Map.Entry<String, String> e : interfaces.entrySet()) {
            Optional<PodmanNetwork> n = configs.find(e.getKey());
            if (n.isEmpty()) {
                problems.add("network " + e.getKey() + " no longer exists; only its addresses were freed");
                continue;
            }
            attachments.add(new Netavark.Attach(n.get(), e.getValue(), held.getOrDefault(e.getKey(), List.of()),
                    List.of(Names.shortId(cid))));
        }
        if (!attachments.isEmpty()) {
            try {
                Netavark netavark = netavark();
                Map<String, Object> options = Netavark.options(cid, request.containerName(), ports, attachments);
                Path netns = request.netnsPath();
                if (netns != null && Files.exists(netns)) {
                    netavark.teardown(netns, options);
                } else {
                    try (StandInNamespace standIn = StandInNamespace.create(attachments)) {
                        netavark.teardown(standIn.path(), options);
                    } catch (BerthException e) {
                        // the container's interfaces died with its namespace; what netavark could not find is no loss
                        settings.warnings().accept("tearing down the network of " + label(request) + " without its namespace: "
                                + e.getMessage());
                    }
                }
            } catch (BerthException e) {
                problems.add(e.getMessage());
            }
        }
        for (String network : held.keySet()) {
            try {
                ipam.release(cid, network);
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "tearing down the network of container " + label(request) + ": "
                    + String.join("; ", problems));
        }
    }

    /**
     * Each held network's interface: from the status when it has it, else the spec's order (eth0 for its first
     * network...), else the next unused name.
     */
    private Map<String, String> interfaceNames(NetworkRequest request, NetworkStatus status, Set<String> held) {
        Map<String, String> known = new LinkedHashMap<>();
        if (status != null) {
            status.attachments().forEach(a -> known.put(a.network(), a.interfaceName()));
        }
        List<String> fromSpec = networksFor(request.spec());
        for (int i = 0; i < fromSpec.size(); i++) {
            known.putIfAbsent(fromSpec.get(i), "eth" + i);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : held) {
            String ifName = known.get(n);
            if (ifName == null || ifName.isEmpty()) {
                ifName = nextInterface(known.values());
                known.put(n, ifName);
            }
            out.put(n, ifName);
        }
        return out;
    }

    private static String nextInterface(java.util.Collection<String> used) {
        for (int i = 0; ; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    // ------------------------------------------------------------------------------------ connect / disconnect

    @Override
    public NetworkStatus connect(NetworkRequest request, NetworkStatus current, String network, List<String> aliases) {
        String cid = containerId(request);
        PodmanNetwork n = configs.require(network);
        if (current.attachments().stream().anyMatch(a -> a.network().equals(network))) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + label(request) + " is already connected to network "
                    + network);
        }
        Netavark netavark = netavark();
        Path netns = existingNamespace(request);
        String ifName = nextInterface(current.attachments().stream().map(NetworkAttachment::interfaceName).toList());
        return FileLocks.withLock(lock, () -> {
            Map<String, List<Integer>> ips = ipam.allocate(cid, List.of(new IpamDb.Request(n, null)));
            List<String> names = new ArrayList<>(List.of(Names.shortId(cid)));
            aliases.stream().filter(a -> !names.contains(a)).forEach(names::add);
            Netavark.Attach a = new Netavark.Attach(n, ifName, ips.getOrDefault(network, List.of()).stream().map(Ipv4Net::dotted).toList(),
                    names);
            Map<String, Object> options = Netavark.options(cid, request.containerName(), List.of(), List.of(a));
            java.util.Set<String> dnsBefore = UdpListeners.inodes(gateways(List.of(n)), netavark.dnsPort());
            try {
                List<Netavark.Block> blocks = netavark.setup(netns, options);
                NetworkStatus added = Statuses.of(request, blocks, List.of(a), settings.runDir());
                netavark.awaitAardvark(added.dnsServers(), dnsBefore);
                return Statuses.merge(current, added);
            } catch (RuntimeException e) {
                throw undo(request, netavark, netns, options, List.of(n), e, "connect network " + network + " to container");
            }
        });
    }

    @Override
    public NetworkStatus disconnect(NetworkRequest request, NetworkStatus current, String network) {
        String cid = containerId(request);
        NetworkAttachment gone = current.attachments().stream().filter(a -> a.network().equals(network)).findFirst()
                .orElseThrow(() -> new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + label(request)
                        + " is not connected to network " + network));
        FileLocks.withLock(lock, () -> {
            Map<String, List<String>> held = ipam.assigned(cid);
            Map<String, List<String>> one = new LinkedHashMap<>();
            one.put(network, held.getOrDefault(network, List.of()));
            tearDown(request, Map.of(network, gone.interfaceName()), one, List.of());
        });
        return Statuses.without(current, gone);
    }

    // ------------------------------------------------------------------------------------ named networks

    @Override
    public List<NetworkDefinition> networks() {
        if (!settings.chosen()) {
            return List.of(); // the CNI backend lists the networks then; two lists would name "podman" twice
        }
        List<NetworkDefinition> out = new ArrayList<>();
        for (PodmanNetwork n : configs.all()) {
            out.add(definition(n));
        }
        return out;
    }

    @Override
    public NetworkDefinition createNetwork(String name, String subnet, String gateway) {
        return createNetwork(name, subnet, gateway, NetworkCreateOptions.DEFAULTS);
    }

    @Override
    public NetworkDefinition createNetwork(String name, String subnet, String gateway, NetworkCreateOptions options) {
        requireChosen();
        return definition(configs.create(new NetworkConfigs.CreateRequest(name, subnet, gateway, options.internal(),
                !options.disableDns())));
    }

    @Override
    public void removeNetwork(String name) {
        requireChosen();
        configs.remove(name);
        ipam.removeNetwork(name);
    }

    /** Every network but the default one, which lives in memory; {@code system reset}. */
    @Override
    public void reset() {
        if (!settings.chosen()) {
            return;
        }
        for (PodmanNetwork n : configs.all()) {
            if (!n.name().equals(settings.defaultNetwork())) {
                removeNetwork(n.name());
            }
        }
        ipam.removeNetwork(settings.defaultNetwork());
    }

    private void requireChosen() {
        if (!settings.chosen()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the netavark network backend is not chosen: set network_backend"
                    + " = \"netavark\" in the [network] table of containers.conf");
        }
    }

    static NetworkDefinition definition(PodmanNetwork n) {
        PodmanNetwork.Subnet first = n.subnets().isEmpty() ? null : n.subnets().get(0);
        return new NetworkDefinition(n.name(), n.driver(), first == null ? "" : first.subnet(), first == null ? "" : first.gateway(),
                n.toJson());
    }

    // ------------------------------------------------------------------------------------ helpers

    private Netavark netavark() {
        return new Netavark(settings.helper("netavark"), settings.aardvarkOrNull(), settings.runDir(), settings.dnsPort(),
                settings.timeoutMillis());
    }

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
            out.add(settings.defaultNetwork());
        }
        return out;
    }

    /** The gateways of the DNS-enabled networks: where aardvark-dns listens for them. */
    private static List<String> gateways(List<PodmanNetwork> nets) {
        List<String> out = new ArrayList<>();
        for (PodmanNetwork n : nets) {
            if (n.dnsEnabled()) {
                n.subnets().stream().map(PodmanNetwork.Subnet::gateway).filter(g -> !g.isEmpty()).forEach(out::add);
            }
        }
        return out;
    }

    private static Integer staticIp(NetworkSpec spec) {
        for (String k : spec.options().keySet()) {
            if (!SPEC_OPTIONS.contains(k)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown option \"" + k + "\" for bridge networks (known: "
                        + String.join(", ", SPEC_OPTIONS) + ")");
            }
        }
        String ip = spec.options().get("ip");
        return ip == null ? null : Ipv4Net.parseAddress(ip, "ip");
    }

    private static Path existingNamespace(NetworkRequest request) {
        Path p = request.netnsPath();
        if (p == null || !Files.exists(p)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "network namespace " + p + " of container " + label(request)
                    + " does not exist");
        }
        return p;
    }

    private static String containerId(NetworkRequest request) {
        String cid = request.containerId();
        if (cid == null || !cid.matches("[0-9a-zA-Z_.-]{1,128}")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid container id \"" + cid + "\"");
        }
        return cid;
    }

    private static String label(NetworkRequest r) {
        return r.containerName() != null && !r.containerName().isEmpty() ? r.containerName() : r.containerId();
    }
}
