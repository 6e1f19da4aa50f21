package berth.engine.internal;

import berth.support.AtomicFiles;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.RawJson;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.MountSpec;
import berth.kernel.model.Rlimit;
import berth.kernel.spi.hook.SpecHook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a container's OCI runtime spec (config.json) with podman's defaults (seed 002): default
 * capabilities, masked and read-only paths, the standard /proc /dev /sys mounts, rlimits, the
 * container's own /etc/resolv.conf, /etc/hosts, /etc/hostname (and passwd/group entries for a user
 * the image lacks) bind-mounted from the bundle, user mounts, resources and hooks.
 */
public final class SpecGenerator {
    /** The capabilities of containers recorded before their config carried its own. */
    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    static final List<String> MASKED = List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/fs/selinux", "/sys/dev/block");
    static final List<String> READONLY = List.of("/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private SpecGenerator() {
    }

    /**
     * Inputs that are not part of the container's config.
     *
     * @param nameservers name servers the network backend provides (slirp4netns's 10.0.2.3), written to
     *     resolv.conf before the host's
     * @param searchDomains search domains the network backend provides (netavark's dns.podman), before the host's
     */
    public record Extras(String netnsPath, Map<String, List<String>> hostsEntries, List<SpecHook> hooks, String cgroupParent,
            List<String> nameservers, List<String> searchDomains, HostsBase hostsBase) {
        public Extras {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
            searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
            hostsBase = hostsBase == null ? new HostsBase(List.of(), "") : hostsBase;
        }

        public Extras(String netnsPath, Map<String, List<String>> hostsEntries, List<SpecHook> hooks, String cgroupParent) {
            this(netnsPath, hostsEntries, hooks, cgroupParent, List.of(), List.of(), null);
        }
    }

    public static Map<String, Object> generate(ContainerConfig c, ContainerPaths paths, Extras extras) {
        Path rootfs = Path.of(c.rootfs());
        boolean hostUts = c.settings().hostNamespaces().contains("uts");
        // the host's uts namespace keeps the host's name (the runtime may not set one there)
        String hostname = hostUts ? hostsName() : c.hostname() == null || c.hostname().isEmpty() ? c.shortId() : c.hostname();
        UserResolver.ResolvedUser user = UserResolver.resolve(rootfs, c.user(), c.name());
        List<Map<String, Object>> mounts = new ArrayList<>(defaultMounts(c.privileged()));
        writeEtcFiles(c, paths, hostname, user, extras, mounts);
        for (MountSpec m : c.mounts()) {
            mounts.removeIf(x -> m.destination().equals(x.get("destination")));
            if (m.type().equals("tmpfs")) {
                mounts.add(mount(m.destination(), "tmpfs", "tmpfs", m.options()));
            } else {
                if (!Files.exists(Path.of(m.source()))) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + ": bind mount source "
                            + m.source() + " does not exist");
                }
                mounts.add(mount(m.destination(), "bind", m.source(), VolumeSpecs.ociOptions(m)));
            }
        }

        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", c.terminal());
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        process.put("user", u);
        process.put("args", c.command());
        process.put("env", environment(c, hostname, user));
        process.put("cwd", c.workingDir() == null || c.workingDir().isEmpty() ? "/" : c.workingDir());
        process.put("capabilities", SpecSettingsApplier.capabilities(c, user.uid()));
        if (c.rlimits() == null) {
            // none configured (or a record older than rlimits): podman's defaults within berth's own limits
            process.put("rlimits", List.of(rlimit("RLIMIT_NOFILE", Limits.nofile()), rlimit("RLIMIT_NPROC", Limits.nproc())));
        } else if (!c.rlimits().isEmpty()) {
            List<Object> rl = new ArrayList<>();
            for (Rlimit r : c.rlimits()) {
                rl.add(rlimit(r.type(), r.hard(), r.soft()));
            }
            process.put("rlimits", rl);
        }
        process.put("noNewPrivileges", false);

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("path", rootfs.toAbsolutePath().toString());
        root.put("readonly", false);

        Map<String, Object> linux = new LinkedHashMap<>();
        List<Map<String, Object>> ns = new ArrayList<>();
        java.util.Set<String> shared = c.settings().hostNamespaces();
        if (!shared.contains("pid")) {
            ns.add(Map.of("type", "pid"));
        }
        if (extras.netnsPath() != null) {
            ns.add(Map.of("type", "network", "path", extras.netnsPath()));
        } else if (!c.network().isHost()) {
            ns.add(Map.of("type", "network"));
        }
        if (!shared.contains("ipc")) {
            ns.add(Map.of("type", "ipc"));
        }
        if (!hostUts) {
            ns.add(Map.of("type", "uts"));
        }
        ns.add(Map.of("type", "mount"));
        linux.put("namespaces", ns);
        linux.put("cgroupsPath", extras.cgroupParent() + "/" + c.id());
        Map<String, Object> resources = resources(c);
        linux.put("resources", resources);
        if (c.privileged()) {
            linux.put("devices", Privileged.hostDevices(Path.of("/dev")));
        } else {
            linux.put("maskedPaths", MASKED);
            linux.put("readonlyPaths", READONLY);
        }
        SpecSettingsApplier.apply(c, process, root, linux, mounts, resources);
        if (c.seccompFilter() != null) {
            linux.put("seccomp", new RawJson(SeccompFilters.read(Path.of(c.seccompFilter()), c.name())));
        }

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", process);
        spec.put("root", root);
        if (!hostUts) {
            spec.put("hostname", hostname);
        }
        spec.put("mounts", mounts);
        Map<String, Object> hooks = hooks(extras.hooks());
        if (!hooks.isEmpty()) {
            spec.put("hooks", hooks);
        }
        Map<String, String> annotations = new LinkedHashMap<>(c.annotations());
        annotations.put("io.container.manager", "berth");
        if (c.settings().init()) {
            annotations.put("io.podman.annotations.init", "TRUE");
        }
        annotations.put("org.opencontainers.image.stopSignal", Integer.toString(c.stopSignal()));
        spec.put("annotations", annotations);
        spec.put("linux", linux);
        return spec;
    }

    /** The host's name (a string sysctl, which Files reads whole). */
    private static String hostsName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public static void write(Map<String, Object> spec, Path bundle) {
        // not synced: init writes it again from the record whenever the container is created
        AtomicFiles.write(bundle.resolve("config.json"), Json.write(spec, true), AtomicFiles.Durability.NONE);
    }

    private static List<String> environment(ContainerConfig c, String hostname, UserResolver.ResolvedUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        if (c.terminal()) {
            env.put("TERM", "xterm");
        }
        env.put("container", "berth");
        for (String e : c.env()) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                String v = System.getenv(e); // -e NAME takes the value from berth's own environment
                if (v != null) {
                    env.put(e, v);
                }
            } else {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        env.putIfAbsent("HOSTNAME", hostname);
        env.putIfAbsent("HOME", user.home() == null || user.home().isEmpty() ? "/" : user.home());
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static void writeEtcFiles(ContainerConfig c, ContainerPaths paths, String hostname,
                                      UserResolver.ResolvedUser user, Extras extras, List<Map<String, Object>> mounts) {
        Path b = paths.bundleDir();
        boolean ro = c.settings().readOnlyRootfs(); // podman binds them read-only into a read-only root
        try {
            Files.createDirectories(b);
            Files.writeString(b.resolve("hostname"), hostname + "\n");
            mounts.add(bindFile("/etc/hostname", b.resolve("hostname"), ro));
            if (!c.network().isHost() && !c.settings().noHosts()) {
                Files.writeString(b.resolve("hosts"), EtcFiles.hosts(c, hostname, extras.hostsEntries(), extras.hostsBase()));
                mounts.add(bindFile("/etc/hosts", b.resolve("hosts"), ro));
            }
            Files.writeString(b.resolve("resolv.conf"), EtcFiles.resolvConf(c, extras.nameservers(), extras.searchDomains()));
            mounts.add(bindFile("/etc/resolv.conf", b.resolve("resolv.conf"), ro));
            Path rootfs = Path.of(c.rootfs());
            if (user.passwdEntry() != null) {
                Files.writeString(b.resolve("passwd"), readOrEmpty(rootfs.resolve("etc/passwd")) + user.passwdEntry() + "\n");
                mounts.add(bindFile("/etc/passwd", b.resolve("passwd"), ro));
            }
            if (user.groupEntry() != null && user.gid() != 0) {
                Files.writeString(b.resolve("group"), readOrEmpty(rootfs.resolve("etc/group")) + user.groupEntry() + "\n");
                mounts.add(bindFile("/etc/group", b.resolve("group"), ro));
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write /etc files for container " + c.name() + " in " + b + ": " + e.getMessage(), e);
        }
    }

    private static String readOrEmpty(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "";
        }
        String s = Files.readString(p);
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    private static Map<String, Object> bindFile(String dest, Path src, boolean readOnly) {
        return mount(dest, "bind", src.toString(), List.of("rbind", "rprivate", "nosuid", "noexec", "nodev", readOnly ? "ro" : "rw"));
    }

    /** podman's default mounts; a privileged container gets /sys and its cgroups writable (seed 002). */
    private static List<Map<String, Object>> defaultMounts(boolean privileged) {
        String sys = privileged ? "rw" : "ro";
        List<Map<String, Object>> m = new ArrayList<>();
        m.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sys)));
        m.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("rprivate", "nosuid", "noexec", "nodev", "relatime", sys)));
        m.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        return m;
    }

    static Map<String, Object> mount(String dest, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }

    private static Map<String, Object> rlimit(String type, long value) {
        return rlimit(type, value, value);
    }

    private static Map<String, Object> rlimit(String type, long hard, long soft) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("hard", hard);
        m.put("soft", soft);
        return m;
    }

    private static Map<String, Object> resources(ContainerConfig c) {
        Map<String, Object> r = new LinkedHashMap<>();
        // privileged: every device may be used (podman's rule); else none beyond the runtime's defaults
        r.put("devices", List.of(Map.of("allow", c.privileged(), "access", "rwm")));
        if (c.resources().memoryBytes() > 0) {
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("limit", c.resources().memoryBytes());
            // no extra swap: the limit is the limit, so exceeding it OOM-kills (podman's default swap = 2x
            // applies only where swap accounting exists)
            mem.put("swap", c.resources().memoryBytes());
            r.put("memory", mem);
        }
        if (c.resources().nanoCpus() > 0) {
            long period = 100_000;
            r.put("cpu", Map.of("quota", c.resources().nanoCpus() * period / 1_000_000_000L, "period", period));
        }
        if (c.resources().pidsLimit() > 0) {
            r.put("pids", Map.of("limit", c.resources().pidsLimit()));
        }
        return r;
    }

    private static Map<String, Object> hooks(List<SpecHook> hooks) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SpecHook h : hooks) {
            @SuppressWarnings("unchecked")
            List<Object> stage = (List<Object>) out.computeIfAbsent(h.stage().specName(), k -> new ArrayList<>());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", h.path());
            if (!h.args().isEmpty()) {
                m.put("args", h.args());
            }
            if (!h.env().isEmpty()) {
                m.put("env", h.env());
            }
            if (h.timeoutSeconds() > 0) {
                m.put("timeout", h.timeoutSeconds());
            }
            stage.add(m);
        }
        return out;
    }
}
