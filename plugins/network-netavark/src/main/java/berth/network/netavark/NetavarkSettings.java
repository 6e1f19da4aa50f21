package berth.network.netavark;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.network.NetworkEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the backend reads from its environment, checked once. The directories follow podman 4 as root:
 * definitions in {@code /etc/containers/networks} unless containers.conf sets
 * {@code network_config_dir} (the engine resolved it into {@link NetworkEnvironment#configDir()}), run
 * files (ipam.db, aardvark-dns's config) in {@code /run/containers/networks}, which podman hard-codes
 * for root; berth's {@code network_run_dir} key moves it (tests, a second engine). Not root, both are
 * the engine's directories, as podman's rootless ones are per user.
 *
 * @param chosen true when containers.conf's {@code network_backend} is {@code netavark}: only then does the
 *        backend claim the bridge mode and named networks
 */
record NetavarkSettings(Path configDir, Path runDir, List<Path> helperDirs, boolean chosen, String defaultNetwork,
                        Ipv4Net defaultSubnet, List<Pool> pools, String bridgePrefix, int dnsPort, long timeoutMillis,
                        Consumer<String> warnings) {
    static final Path PODMAN_CONFIG_DIR = Path.of("/etc/containers/networks");
    static final Path PODMAN_RUN_DIR = Path.of("/run/containers/networks");
    /** containers.conf's default helper_binaries_dir, where podman looks for netavark and aardvark-dns. */
    static final List<Path> PODMAN_HELPER_DIRS = List.of(Path.of("/usr/local/libexec/podman"), Path.of("/usr/local/lib/podman"),
            Path.of("/usr/libexec/podman"), Path.of("/usr/lib/podman"));
    private static final Pattern BRIDGE_PREFIX = Pattern.compile("[a-zA-Z0-9_-]{1,11}");
    private static final Pattern POOL = Pattern.compile("base\\W+([0-9.]+/[0-9]+)\\W+size\\W+([0-9]+)");

    /** A subnet pool of containers.conf's {@code default_subnet_pools}: /size networks carved from base. */
    record Pool(Ipv4Net base, int size) {
    }

    static final List<Pool> PODMAN_POOLS = List.of(pool("10.89.0.0/16"), pool("10.90.0.0/15"), pool("10.92.0.0/14"),
            pool("10.96.0.0/11"), pool("10.128.0.0/9"));

    private static Pool pool(String cidr) {
        return new Pool(Ipv4Net.parse(cidr, "pool"), 24);
    }

    /**
     * The settings; a backend that is not chosen never fails on an option it would read (the [network]
     * table belongs to the chosen backend): it takes podman's defaults instead and claims nothing.
     */
    static NetavarkSettings from(NetworkEnvironment env) {
        boolean chosen = "netavark".equals(env.options().get("network_backend"));
        try {
            return parse(env, env.options());
        } catch (BerthException e) {
            if (chosen) {
                throw e;
            }
            Map<String, String> dirsOnly = new java.util.HashMap<>();
            for (String k : List.of("network_config_dir", "network_run_dir")) {
                if (env.options().containsKey(k)) {
                    dirsOnly.put(k, env.options().get(k));
                }
            }
            try {
                return parse(env, dirsOnly);
            } catch (BerthException again) {
                return parse(new NetworkEnvironment(env.configDir(), env.runDir(), env.pluginDirs(), Map.of(), env.warnings()), Map.of());
            }
        }
    }

    private static NetavarkSettings parse(NetworkEnvironment env, Map<String, String> o) {
        boolean root = isRoot();
        Path configDir = o.containsKey("network_config_dir") || !root ? env.configDir() : PODMAN_CONFIG_DIR;
        Path runDir = o.containsKey("network_run_dir") ? Path.of(o.get("network_run_dir")) : root ? PODMAN_RUN_DIR : env.runDir();
        if (!runDir.isAbsolute()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "network_run_dir \"" + runDir + "\" must be an absolute path");
        }
        List<Path> helpers = new ArrayList<>();
        String hd = o.getOrDefault("helper_binaries_dir", "");
        for (String d : hd.split(",")) {
            if (!d.isBlank()) {
                helpers.add(Path.of(d.trim()));
            }
        }
        if (helpers.isEmpty()) {
            helpers.addAll(PODMAN_HELPER_DIRS);
        }
        String defaultNetwork = o.getOrDefault("default_network", "podman");
        NetworkConfigs.requireValidName(defaultNetwork, "default_network");
        Ipv4Net subnet = Ipv4Net.parse(o.getOrDefault("default_subnet", "10.88.0.0/16"), "default_subnet");
        List<Pool> pools = new ArrayList<>();
        Matcher m = POOL.matcher(o.getOrDefault("default_subnet_pools", ""));
        while (m.find()) {
            pools.add(new Pool(Ipv4Net.parse(m.group(1), "default_subnet_pools"), Integer.parseInt(m.group(2))));
        }
        String prefix = o.getOrDefault("bridge_prefix", "podman");
        if (!BRIDGE_PREFIX.matcher(prefix).matches()) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "bridge_prefix \"" + prefix + "\" must be 1-11 letters, digits, '_' or '-'");
        }
        int dnsPort = number(o, "dns_bind_port", 0, 0, 65535);
        long timeout = number(o, "plugin_timeout", 60, 1, 3600) * 1000L;
        Consumer<String> warnings = env.warnings() == null ? w -> { } : env.warnings();
        return new NetavarkSettings(configDir, runDir, List.copyOf(helpers), "netavark".equals(o.get("network_backend")),
                defaultNetwork, subnet, pools.isEmpty() ? PODMAN_POOLS : List.copyOf(pools), prefix, dnsPort, timeout, warnings);
    }

    private static int number(Map<String, String> o, String key, int dflt, int min, int max) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BerthException(ErrorCode.CONFIG_INVALID, key + " \"" + v + "\" must be a number from " + min + " to " + max);
    }

    private static boolean isRoot() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** A helper binary in the first directory that has it, else the error podman gives. */
    Path helper(String name) {
        for (Path d : helperDirs) {
            Path p = d.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "could not find \"" + name + "\" in one of " + helperDirs
                + ": the netavark network backend needs it (Debian package " + name + "); to resolve this error, set the"
                + " helper_binaries_dir key in the [network] table of containers.conf to the directory that has it");
    }

    /** aardvark-dns, or null: then DNS-enabled networks work without names, as in podman (with a warning). */
    Path aardvarkOrNull() {
        try {
            return helper("aardvark-dns");
        } catch (BerthException e) {
            return null;
        }
    }
}
