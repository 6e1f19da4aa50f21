package berth.engine.internal;

import berth.engine.ConfigOverrides;
import berth.engine.ContainerDefaults;
import berth.engine.EngineConfig;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.toml.Toml;
import berth.support.toml.TomlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads containers.conf-style TOML in podman's order, each later file over the earlier ones: first
 * podman's own files ({@code CONTAINERS_CONF} alone when set, else
 * /usr/share/containers/containers.conf, /etc/containers/containers.conf and
 * /etc/containers/containers.conf.d/*.conf, as containers/common 0.50 reads them), then berth's
 * ({@code --config}, else {@code BERTH_CONFIG}, else /etc/berth/containers.conf when present), then
 * the flags. A file is parsed (with berth's own small TOML reader) only when it sets something berth
 * reads, so the common case (files of comments, podman's packaged file) pays nothing for it.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "/etc/berth/containers.conf";

    private ConfigLoader() {
    }

    public static EngineConfig load(ConfigOverrides o, Map<String, String> env) {
        Path file = null;
        if (o.configFile() != null) {
            file = Path.of(o.configFile());
            if (!Files.isRegularFile(file)) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "configuration file " + file + " does not exist");
            }
        } else if (env.get("BERTH_CONFIG") != null && !env.get("BERTH_CONFIG").isEmpty()) {
            file = Path.of(env.get("BERTH_CONFIG"));
            if (!Files.isRegularFile(file)) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "configuration file " + file + " (from BERTH_CONFIG) does not exist");
            }
        } else if (Files.isRegularFile(Path.of(DEFAULT_FILE))) {
            file = Path.of(DEFAULT_FILE);
        }
        Settings s = new Settings();
        for (Path podmans : podmanFiles(env)) {
            if (PodmanConfFiles.setsWhatBerthReads(podmans)) {
                readToml(podmans, s);
            }
        }
        if (file != null && hasSettings(file)) {
            readToml(file, s);
        }
        if (o.root() != null) {
            s.root = o.root();
        }
        if (o.runRoot() != null) {
            s.runRoot = o.runRoot();
        }
        if (o.runtime() != null) {
            s.runtime = o.runtime();
        }
        if (o.dbBackend() != null) {
            s.dbBackend = o.dbBackend();
        }
        if (o.logLevel() != null) {
            s.logLevel = o.logLevel();
        }
        if (o.hooksDir() != null) {
            s.hooksDirs = List.of(o.hooksDir().split(","));
        }
        Path root = path(s.root, o.root() != null ? "--root" : "[storage] root", o.root() != null ? null : file).toAbsolutePath().normalize();
        Path runRoot = path(s.runRoot, o.runRoot() != null ? "--runroot" : "[storage] runroot", o.runRoot() != null ? null : file)
                .toAbsolutePath().normalize();
        // podman's rules: --root puts the static dir and the volume path under it; the tmp dir follows
        // no root, only --tmpdir or tmp_dir (see PodmanPaths for its default)
        Path staticDir = s.staticDir != null && o.root() == null ? path(s.staticDir, "[engine] static_dir", file) : root.resolve("libpod");
        Path volumePath = s.volumePath != null && o.root() == null ? path(s.volumePath, "[engine] volume_path", file)
                : root.resolve("volumes");
        Path tmpDir = o.tmpDir() != null ? path(o.tmpDir(), "--tmpdir", null).toAbsolutePath().normalize()
                : s.tmpDir != null ? path(s.tmpDir, "[engine] tmp_dir", file) : PodmanPaths.defaultTmpDir(runRoot);
        Path netDir = s.networkConfigDir != null ? path(s.networkConfigDir, "[network] network_config_dir", file) : root.resolve("networks");
        List<Path> pluginDirs = new ArrayList<>();
        for (String d : s.pluginDirs) {
            pluginDirs.add(path(d, "[engine] plugin_dirs", file));
        }
        String envPlugins = env.get("BERTH_PLUGIN_PATH");
        if (envPlugins != null && !envPlugins.isEmpty()) {
            for (String d : envPlugins.split(":")) {
                pluginDirs.add(Path.of(d));
            }
        }
        Map<String, List<String>> engineOptions = new LinkedHashMap<>(s.engineOptions);
        engineOptions.put("conmon_path", s.conmonPaths);
        if (o.eventsBackend() != null) {
            engineOptions.put("events_logger", List.of(o.eventsBackend()));
        }
        if (o.storageDriver() != null) {
            s.storageOptions.put("driver", o.storageDriver());
        }
        if (o.networkBackend() != null) {
            s.networkOptions.put(NetworkBackends.OPTION, o.networkBackend()); // the backends read the choice there
        }
        return new EngineConfig(root, runRoot, staticDir, tmpDir, s.runtime, s.runtimePaths, s.conmonPaths, s.dbBackend,
                s.logLevel, s.hooksDirs, s.defaultNetwork, netDir, s.cniPluginDirs, pluginDirs, s.stateOptions,
                engineOptions, s.networkOptions, file, s.imageStore, s.storageOptions, registriesConf(env), s.pullPolicy,
                volumePath, new ContainerDefaults(s.defaultUlimits, s.seccompProfile, s.baseHostsFile,
                s.hostContainersInternalIp));
    }

    /**
     * podman's containers.conf files, lowest precedence first: {@code CONTAINERS_CONF} alone when
     * set (a missing file is an error, as in podman), else the packaged file, the administrator's
     * and the administrator's drop-ins ({@code *.conf}, sorted, subdirectories skipped).
     */
    static List<Path> podmanFiles(Map<String, String> env) {
        String override = env.get("CONTAINERS_CONF");
        if (override != null && !override.isEmpty()) {
            Path p = Path.of(override);
            if (!Files.exists(p)) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "CONTAINERS_CONF file " + p + " does not exist");
            }
            return List.of(p);
        }
        List<Path> out = new ArrayList<>();
        for (String f : List.of(PodmanConfFiles.PACKAGED, PodmanConfFiles.ADMIN)) {
            if (Files.exists(Path.of(f))) {
                out.add(Path.of(f));
            }
        }
        Path dropIns = Path.of(PodmanConfFiles.ADMIN + ".d");
        if (Files.isDirectory(dropIns)) {
            try (var files = Files.list(dropIns)) {
                files.filter(f -> f.getFileName().toString().endsWith(".conf") && !Files.isDirectory(f)).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read " + dropIns + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The registries.conf files podman reads: {@code CONTAINERS_REGISTRIES_CONF} alone when set, else
     * /etc/containers/registries.conf and then registries.conf.d/*.conf in name order.
     */
    static List<Path> registriesConf(Map<String, String> env) {
        String override = env.get("CONTAINERS_REGISTRIES_CONF");
        if (override != null && !override.isEmpty()) {
            return List.of(Path.of(override));
        }
        List<Path> out = new ArrayList<>();
        Path main = Path.of("/etc/containers/registries.conf");
        if (Files.isRegularFile(main)) {
            out.add(main);
        }
        Path dropIns = Path.of("/etc/containers/registries.conf.d");
        if (Files.isDirectory(dropIns)) {
            try (var files = Files.list(dropIns)) {
                files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read " + dropIns + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * {@code value} as a path, or CONFIG_INVALID naming the file (null: the value is a flag's) and the
     * key: a NUL, or a character the file system's encoding cannot hold, is no path.
     */
    private static Path path(String value, String key, Path file) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, (file == null ? "" : "in " + file + ": ") + key
                    + " is not a valid path (" + e.getReason() + "): \"" + value + "\"");
        }
    }

    /** Mutable while reading; the result is the immutable EngineConfig. */
    private static final class Settings {
        String root = "/var/lib/berth";
        String runRoot = "/run/berth";
        String staticDir;
        String tmpDir;
        String volumePath;
        String runtime = "crun";
        Map<String, List<String>> runtimePaths = new LinkedHashMap<>();
        List<String> conmonPaths = List.of();
        String dbBackend = "file";
        String logLevel = "warn";
        List<String> hooksDirs = List.of();
        // podman's default for root: the bridge network (created on first use)
        String defaultNetwork = "bridge";
        String networkConfigDir;
        List<String> cniPluginDirs = List.of("/usr/lib/cni", "/usr/libexec/cni", "/opt/cni/bin");
        List<String> pluginDirs = List.of();
        Map<String, String> stateOptions = new LinkedHashMap<>();
        Map<String, List<String>> engineOptions = new LinkedHashMap<>();
        Map<String, String> networkOptions = new LinkedHashMap<>();
        String imageStore;
        Map<String, String> storageOptions = new LinkedHashMap<>();
        String pullPolicy = "missing";
        List<String> defaultUlimits;
        String seccompProfile;
        String baseHostsFile;
        String hostContainersInternalIp;
    }

    /** Network modes that berth once accepted as {@code [network] default_network}; podman's key names a network. */
    private static final List<String> MODES = List.of("bridge", "none", "host", "slirp4netns", "private");

    /**
     * Whether the file sets anything: the packaged containers.conf is all comments, and reading it
     * would load and run the TOML reader on every command for nothing. An unreadable file is left to
     * the reader, which reports it.
     */
    static boolean hasSettings(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (!t.isEmpty() && t.charAt(0) != '#') {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static void readToml(Path file, Settings s) {
        Map<String, Object> tree;
        try {
            tree = Toml.read(file);
        } catch (TomlException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "malformed TOML in " + file + " line " + e.line() + ", column " + e.column()
                    + ": " + e.reason());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> engine = table(tree, "engine");
        s.runtime = text(engine, "runtime", s.runtime, file);
        s.dbBackend = text(engine, "database_backend", s.dbBackend, file);
        s.staticDir = text(engine, "static_dir", s.staticDir, file);
        s.tmpDir = text(engine, "tmp_dir", s.tmpDir, file);
        s.volumePath = text(engine, "volume_path", s.volumePath, file);
        s.conmonPaths = paths(list(engine, "conmon_path", s.conmonPaths, file), "[engine] conmon_path", file);
        s.hooksDirs = paths(list(engine, "hooks_dir", s.hooksDirs, file), "[engine] hooks_dir", file);
        s.pluginDirs = list(engine, "plugin_dirs", s.pluginDirs, file);
        engine.forEach((k, v) -> {
            if (!(v instanceof Map)) {
                s.engineOptions.put(k, values(v));
            }
        });
        Map<String, Object> runtimes = table(engine, "runtimes");
        runtimes.keySet().forEach(n -> s.runtimePaths.put(n, paths(list(runtimes, n, List.of(), file), "[engine.runtimes] " + n, file)));
        Map<String, Object> storage = table(tree, "storage");
        s.root = text(storage, "root", s.root, file);
        s.runRoot = text(storage, "runroot", s.runRoot, file);
        s.imageStore = text(storage, "image_store", s.imageStore, file);
        storage.forEach((k, v) -> {
            if (isScalar(v) && !List.of("root", "runroot", "image_store").contains(k)) {
                s.storageOptions.put(k, asText(v));
            }
        });
        s.pullPolicy = text(engine, "pull_policy", s.pullPolicy, file);
        Map<String, Object> containers = table(tree, "containers");
        s.defaultNetwork = text(containers, "netns", s.defaultNetwork, file);
        s.defaultUlimits = list(containers, "default_ulimits", s.defaultUlimits, file);
        s.seccompProfile = text(containers, "seccomp_profile", s.seccompProfile, file);
        s.baseHostsFile = text(containers, "base_hosts_file", s.baseHostsFile, file);
        s.hostContainersInternalIp = text(containers, "host_containers_internal_ip", s.hostContainersInternalIp, file);
        if (s.defaultNetwork.equals("private")) {
            s.defaultNetwork = "bridge"; // podman's "private" is bridge for root
        }
        Map<String, Object> network = table(tree, "network");
        network.forEach((k, v) -> {
            if (!(v instanceof Map)) {
                s.networkOptions.put(k, String.join(",", values(v)));
            }
        });
        // podman's default_network names the bridge mode's network (the backend's option); berth once
        // read it as the mode, so a mode there still sets the mode
        String dn = text(network, "default_network", null, file);
        if (dn != null && MODES.contains(dn)) {
            s.defaultNetwork = dn.equals("private") ? "bridge" : dn;
            s.networkOptions.remove("default_network");
        }
        s.networkConfigDir = text(network, "network_config_dir", s.networkConfigDir, file);
        s.cniPluginDirs = paths(list(network, "cni_plugin_dirs", s.cniPluginDirs, file), "[network] cni_plugin_dirs", file);
        table(tree, "state").forEach((k, v) -> s.stateOptions.put(k, asText(v)));
    }

    /** The table under {@code key}; empty when it is missing or not a table. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(Map<String, Object> t, String key) {
        return t.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static boolean isScalar(Object v) {
        return !(v instanceof Map) && !(v instanceof List);
    }

    /** A value as text: a scalar as written (a float as Java prints it), a table or an array as "" (as jackson did). */
    private static String asText(Object v) {
        return isScalar(v) ? String.valueOf(v) : "";
    }

    private static String typeName(Object v) {
        return v instanceof Map ? "table" : v instanceof List ? "array" : v instanceof Boolean ? "boolean" : "number";
    }

    private static String text(Map<String, Object> n, String key, String dflt, Path file) {
        Object v = n.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String str)) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "in " + file + ": " + key + " must be a string, not " + typeName(v));
        }
        return str;
    }

    /** An option's value as strings: a scalar of any type, or each element of an array. */
    private static List<String> values(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(asText(x)));
        } else {
            out.add(asText(v));
        }
        return out;
    }

    /** Checks that each of {@code values} is a path (they are used as ones later) and returns them. */
    private static List<String> paths(List<String> values, String key, Path file) {
        values.forEach(v -> path(v, key, file));
        return values;
    }

    private static List<String> list(Map<String, Object> n, String key, List<String> dflt, Path file) {
        Object v = n.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String str) {
            return List.of(str);
        }
        if (!(v instanceof List<?> l)) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "in " + file + ": " + key + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(asText(x)));
        return out;
    }
}
