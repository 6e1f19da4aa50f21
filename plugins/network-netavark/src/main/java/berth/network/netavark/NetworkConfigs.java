package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.support.AtomicFiles;
import berth.support.FileLocks;
import berth.support.GoTimes;
import berth.support.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network definitions: podman's {@code NAME.json} files in the config directory, read afresh on
 * every call (podman may change them at any time), plus the default network, which exists in memory
 * only unless a file of its name is there (libnetwork's createDefaultNetwork). Creation follows
 * libnetwork's networkCreate for the bridge driver.
 */
final class NetworkConfigs {
    /** The default network's ID in podman: "Important do not change this ID". */
    static final String DEFAULT_ID = "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9";
    /** Names that are network modes, never networks (podman's network create refuses them). */
    static final Set<String> MODES = Set.of("bridge", "host", "none", "private", "slirp4netns", "pasta", "container", "ns", "default");
    static final int NAME_MAX = 63;
    /**
     * Made on first use (a network created), not when the class is: every networked run makes this
     * backend, and SecureRandom's set-up (security providers, seeding) cost it 10-20 ms of CPU.
     */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private final NetavarkSettings settings;
    private final Path lock;

    NetworkConfigs(NetavarkSettings settings) {
        this.settings = settings;
        this.lock = settings.runDir().resolve("netavark-config.lock");
    }

    /** What {@code network create} asks for; empty subnet/gateway mean "pick one", as podman does. */
    record CreateRequest(String name, String subnet, String gateway, boolean internal, boolean dnsEnabled) {
    }

    static void requireValidName(String name, String what) {
        if (name == null || !Names.isValidName(name, NAME_MAX)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, what + " \"" + name + "\" invalid: names must match ["
                    + "a-zA-Z0-9][a-zA-Z0-9_.-]* and be at most " + NAME_MAX + " characters");
        }
    }

    Path file(String name) {
        return settings.configDir().resolve(name + ".json");
    }

    /** Every network, the default one included, by name in file order (the default first when in memory). */
    List<PodmanNetwork> all() {
        Map<String, PodmanNetwork> out = new LinkedHashMap<>();
        for (PodmanNetwork n : fromFiles()) {
            out.put(n.name(), n);
        }
        if (!out.containsKey(settings.defaultNetwork())) {
            Map<String, PodmanNetwork> withDefault = new LinkedHashMap<>();
            withDefault.put(settings.defaultNetwork(), defaultNetwork());
            withDefault.putAll(out);
            return List.copyOf(withDefault.values());
        }
        return List.copyOf(out.values());
    }

    Optional<PodmanNetwork> find(String name) {
        if (name.equals(settings.defaultNetwork()) && !Files.exists(file(name))) {
            return Optional.of(defaultNetwork());
        }
        if (!Names.isValidName(name, NAME_MAX) || !Files.isRegularFile(file(name))) {
            return Optional.empty();
        }
        return Optional.ofNullable(load(file(name)));
    }

    PodmanNetwork require(String name) {
        return find(name).orElseThrow(() -> new BerthException(ErrorCode.NETWORK_ERROR, "unable to find network with name or ID "
                + name + ": network not found"));
    }

    private PodmanNetwork defaultNetwork() {
        Ipv4Net s = settings.defaultSubnet();
        String gw = Ipv4Net.dotted(s.address() + 1);
        return new PodmanNetwork(settings.defaultNetwork(), DEFAULT_ID, PodmanNetwork.BRIDGE, settings.bridgePrefix() + "0",
                GoTimes.rfc3339Nano(Instant.now()), List.of(new PodmanNetwork.Subnet(s.toString(), gw, Map.of())), false, false, false,
                Map.of(), Map.of(), Map.of("driver", PodmanNetwork.HOST_LOCAL));
    }

    private List<PodmanNetwork> fromFiles() {
        List<PodmanNetwork> out = new ArrayList<>();
        if (!Files.isDirectory(settings.configDir())) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.configDir(), "*.json")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot read network config directory " + settings.configDir() + ": "
                    + e.getMessage(), e);
        }
        files.sort(null);
        for (Path f : files) {
            PodmanNetwork n = load(f);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** One file, or null with a warning (podman skips such files with a warning too). */
    private PodmanNetwork load(Path f) {
        String fileName = f.getFileName().toString();
        try {
            PodmanNetwork n = PodmanNetwork.fromJson(Json.parseObject(Files.readAllBytes(f)), "network config file " + f);
            if (!(n.name() + ".json").equals(fileName)) {
                settings.warnings().accept("Network config name \"" + n.name() + "\" does not match file name \"" + fileName
                        + "\", skipping");
                return null;
            }
            if (!Names.isValidName(n.name(), NAME_MAX)) {
                settings.warnings().accept("Network config " + f + " has invalid name: \"" + n.name() + "\", skipping");
                return null;
            }
            return n;
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // removed meanwhile
        } catch (IOException e) {
            settings.warnings().accept("Error reading network config file \"" + f + "\": " + e.getMessage());
            return null;
        } catch (BerthException e) {
            settings.warnings().accept("Network config " + f + " could not be parsed, skipping: " + e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------------------------ create / remove

    PodmanNetwork create(CreateRequest r) {
        requireValidName(r.name(), "network name");
        if (MODES.contains(r.name())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot create network with name \"" + r.name()
                    + "\" because it conflicts with a valid network mode");
        }
        Ipv4Net requested = null;
        if (r.subnet() != null && !r.subnet().isBlank()) {
            if (r.subnet().contains(":")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "subnet " + r.subnet()
                        + ": IPv6 subnets are not supported by berth's netavark backend yet");
            }
            requested = Ipv4Net.parse(r.subnet(), "subnet");
            if (requested.prefix() > 30) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "subnet " + requested + " is too small: it has no address for"
                        + " a gateway and a container");
            }
        }
        Integer gateway = null;
        if (r.gateway() != null && !r.gateway().isBlank()) {
            if (requested == null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot set gateway without subnet");
            }
            gateway = Ipv4Net.parseAddress(r.gateway(), "gateway");
            if (!requested.isUsableHost(gateway)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "gateway " + r.gateway() + " not in subnet " + requested);
            }
        }
        final Ipv4Net wanted = requested;
        final Integer wantedGateway = gateway;
        return FileLocks.withLock(lock, () -> {
            List<PodmanNetwork> existing = all();
            for (PodmanNetwork n : existing) {
                if (n.name().equals(r.name())) {
                    throw new BerthException(ErrorCode.NAME_IN_USE, "network name " + r.name() + " already used: network already exists");
                }
            }
            List<Ipv4Net> used = usedSubnets(existing);
            Ipv4Net subnet = wanted;
            if (subnet != null) {
                for (Ipv4Net u : used) {
                    if (u.overlaps(subnet)) {
                        throw new BerthException(ErrorCode.NETWORK_ERROR, "subnet " + subnet
                                + " is already used on the host or by another config (" + u + ")");
                    }
                }
            } else {
                subnet = freeSubnet(used);
            }
            String gw = "";
            if (!r.internal() || r.dnsEnabled()) {
                gw = Ipv4Net.dotted(wantedGateway != null ? wantedGateway : subnet.address() + 1);
            }
            Set<String> ids = new HashSet<>();
            existing.forEach(n -> ids.add(n.id()));
            String id;
            do {
                byte[] b = new byte[32];
                Random.INSTANCE.nextBytes(b);
                id = HexFormat.of().formatHex(b);
            } while (ids.contains(id));
            PodmanNetwork made = new PodmanNetwork(r.name(), id, PodmanNetwork.BRIDGE, freeInterface(existing),
                    GoTimes.rfc3339Nano(Instant.now()), List.of(new PodmanNetwork.Subnet(subnet.toString(), gw, Map.of())), false,
                    r.internal(), r.dnsEnabled(), Map.of(), Map.of(), Map.of("driver", PodmanNetwork.HOST_LOCAL));
            try {
                Files.createDirectories(settings.configDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AtomicFiles.write(file(r.name()), Json.write(made.toJson(), true) + "\n");
            return made;
        });
    }

    void remove(String name) {
        if (name.equals(settings.defaultNetwork())) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "default network " + name + " cannot be removed");
        }
        FileLocks.withLock(lock, () -> {
            require(name);
            try {
                Files.deleteIfExists(file(name));
            } catch (IOException e) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "cannot remove network " + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** The networks' subnets and the host's routes (podman's GetUsedSubnets looks at both). */
    private static List<Ipv4Net> usedSubnets(List<PodmanNetwork> networks) {
        List<Ipv4Net> used = new ArrayList<>();
        for (PodmanNetwork n : networks) {
            for (PodmanNetwork.Subnet s : n.subnets()) {
                if (s.isIpv4()) {
                    used.add(s.ipv4());
                }
            }
        }
        used.addAll(HostRoutes.ipv4());
        return used;
    }

    private Ipv4Net freeSubnet(List<Ipv4Net> used) {
        for (NetavarkSettings.Pool p : settings.pools()) {
            long count = 1L << Math.max(0, p.size() - p.base().prefix());
            for (long i = 0; i < count; i++) {
                Ipv4Net candidate = new Ipv4Net(p.base().address() + (int) (i << (32 - p.size())), p.size());
                if (used.stream().noneMatch(u -> u.overlaps(candidate))) {
                    return candidate;
                }
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "could not find free subnet from subnet pools");
    }

    /** podmanN, the lowest N that no network and no host interface has (libnetwork's GetFreeDeviceName). */
    private String freeInterface(List<PodmanNetwork> networks) {
        Set<String> taken = new HashSet<>();
        networks.forEach(n -> taken.add(n.networkInterface()));
        for (int i = 0; i < 1_000_000; i++) {
            String name = settings.bridgePrefix() + i;
            if (!taken.contains(name) && !Files.exists(Path.of("/sys/class/net", name))) {
                return name;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "could not find free device name, to many iterations");
    }
}
