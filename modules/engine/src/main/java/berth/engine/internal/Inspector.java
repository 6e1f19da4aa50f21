package berth.engine.internal;

import berth.engine.EngineConfig;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.Timestamps;
import berth.kernel.model.MountSpec;
import berth.kernel.model.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds podman-shaped inspect data (field names as {@code podman inspect} prints them). */
public final class Inspector {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private Inspector() {
    }

    public static Map<String, Object> inspect(Container c, ContainerPaths paths, EngineConfig config) {
        ContainerConfig cfg = c.config();
        ContainerState st = c.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", cfg.id());
        m.put("Created", cfg.createdAt() == null ? ZERO_TIME : Timestamps.format(cfg.createdAt()));
        m.put("Path", cfg.command().isEmpty() ? "" : cfg.command().get(0));
        m.put("Args", cfg.command().size() > 1 ? cfg.command().subList(1, cfg.command().size()) : List.of());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("OciVersion", "1.0.2");
        s.put("Status", c.status().display());
        s.put("Running", c.status() == ContainerStatus.RUNNING);
        s.put("Paused", c.status() == ContainerStatus.PAUSED);
        s.put("Restarting", false);
        s.put("OOMKilled", st.oomKilled());
        s.put("Dead", false);
        s.put("Pid", st.pid());
        s.put("ConmonPid", st.conmonPid());
        s.put("ExitCode", st.exitCode());
        s.put("Error", "");
        s.put("StartedAt", st.startedAt() == null ? ZERO_TIME : Timestamps.format(st.startedAt()));
        s.put("FinishedAt", st.finishedAt() == null ? ZERO_TIME : Timestamps.format(st.finishedAt()));
        s.put("StoppedByUser", st.stoppedByUser());
        m.put("State", s);
        m.put("Rootfs", cfg.fromImage() ? "" : cfg.rootfs());
        m.put("Image", cfg.imageId());
        m.put("ImageName", cfg.image());
        m.put("ResolvConfPath", paths.bundleDir().resolve("resolv.conf").toString());
        m.put("HostnamePath", paths.bundleDir().resolve("hostname").toString());
        m.put("HostsPath", paths.bundleDir().resolve("hosts").toString());
        m.put("StaticDir", paths.bundleDir().toString());
        m.put("OCIConfigPath", paths.bundleDir().resolve("config.json").toString());
        m.put("OCIRuntime", cfg.runtime());
        m.put("ConmonPidFile", paths.runDir().resolve("conmon.pid").toString());
        m.put("Name", cfg.name());
        m.put("RestartCount", st.restartCount());
        m.put("Driver", cfg.fromImage() ? "overlay" : "rootfs");
        m.put("LogPath", cfg.logPath());
        List<Object> mounts = new ArrayList<>();
        for (MountSpec ms : cfg.mounts()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("Type", ms.type());
            if (ms.type().equals(VolumeSpecs.TYPE)) { // ROOT/volumes/NAME/_data
                mm.put("Name", java.nio.file.Path.of(ms.source()).getParent().getFileName().toString());
            }
            mm.put("Source", ms.source());
            mm.put("Destination", ms.destination());
            mm.put("Options", ms.options());
            mm.put("RW", !ms.readOnly());
            mounts.add(mm);
        }
        m.put("Mounts", mounts);
        m.put("Dependencies", cfg.dependencies());
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Mode", cfg.network().mode());
        net.put("Networks", cfg.network().networks());
        net.put("SandboxKey", st.netNsPath() == null ? "" : st.netNsPath());
        Map<String, List<String>> addrs = new LinkedHashMap<>();
        Container self = c;
        PeerHosts.addresses(self).forEach((network, cidrs) -> {
            List<String> bare = new ArrayList<>();
            cidrs.forEach(ip -> bare.add(PeerHosts.stripPrefix(ip)));
            addrs.put(network, bare);
        });
        net.put("Addresses", addrs);
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        for (String n : cfg.network().networks()) {
            aliases.put(n, NetworkAliases.of(cfg.network(), n)); // network connect --alias
        }
        net.put("Aliases", aliases);
        Map<String, Object> ports = new LinkedHashMap<>();
        for (PortMapping p : cfg.network().ports()) {
            ports.put(p.containerPort() + "/" + p.protocol(), List.of(Map.of("HostIp", p.hostIp(), "HostPort", Integer.toString(p.hostPort()))));
        }
        net.put("Ports", ports);
        m.put("NetworkSettings", net);
        Map<String, Object> c2 = new LinkedHashMap<>();
        c2.put("Hostname", cfg.hostname().isEmpty() ? cfg.shortId() : cfg.hostname());
        c2.put("User", cfg.user());
        c2.put("Env", cfg.env());
        c2.put("Cmd", cfg.command());
        c2.put("WorkingDir", cfg.workingDir());
        c2.put("Labels", cfg.labels());
        c2.put("Annotations", cfg.annotations());
        c2.put("StopSignal", cfg.stopSignal());
        c2.put("StopTimeout", cfg.stopTimeout());
        c2.put("Tty", cfg.terminal());
        c2.put("OpenStdin", cfg.stdin());
        if (!cfg.createCommand().isEmpty()) {
            c2.put("CreateCommand", cfg.createCommand());
        }
        List<String> caps = cfg.capabilities().isEmpty() ? SpecGenerator.DEFAULT_CAPS : cfg.capabilities();
        m.put("EffectiveCaps", caps);
        m.put("BoundingCaps", caps);
        m.put("Config", c2);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("RestartPolicy", Map.of("Name", cfg.restartPolicy().kind().text(), "MaximumRetryCount", cfg.restartPolicy().maxRetries()));
        host.put("AutoRemove", cfg.autoRemove());
        host.put("Privileged", cfg.privileged());
        List<Object> ulimits = new java.util.ArrayList<>();
        if (cfg.rlimits() != null) {
            for (berth.kernel.model.Rlimit r : cfg.rlimits()) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("Name", r.type());
                u.put("Soft", r.soft());
                u.put("Hard", r.hard());
                ulimits.add(u);
            }
        }
        host.put("Ulimits", ulimits);
        host.put("Memory", cfg.resources().memoryBytes());
        host.put("NanoCpus", cfg.resources().nanoCpus());
        host.put("PidsLimit", cfg.resources().pidsLimit());
        host.put("LogConfig", Map.of("Type", cfg.logDriver(), "Path", cfg.logPath() == null ? "" : cfg.logPath(),
                "Size", LogSizes.human(cfg.logSizeMax())));
        settings(cfg, host);
        m.put("HostConfig", host);
        m.put("Hooks", st.appliedHooks());
        m.put("ExecIDs", new ArrayList<>(st.execSessions().keySet()));
        return m;
    }

    /**
     * The spec-shaping flags as podman's inspect shows them: CapAdd and CapDrop are the difference
     * between the container's capabilities and the defaults, whatever flags produced it.
     */
    private static void settings(ContainerConfig cfg, Map<String, Object> host) {
        berth.kernel.model.SpecSettings s = cfg.settings();
        List<String> caps = cfg.capabilities().isEmpty() ? ContainerSecurity.DEFAULT_CAPS : cfg.capabilities();
        host.put("CapAdd", caps.stream().filter(c -> !ContainerSecurity.DEFAULT_CAPS.contains(c)).toList());
        host.put("CapDrop", ContainerSecurity.DEFAULT_CAPS.stream().filter(c -> !caps.contains(c)).toList());
        host.put("ReadonlyRootfs", s.readOnlyRootfs());
        host.put("ExtraHosts", s.extraHosts());
        host.put("Dns", s.dnsServers());
        host.put("DnsSearch", s.dnsSearch());
        host.put("DnsOptions", s.dnsOptions());
        host.put("Sysctls", new java.util.TreeMap<>(s.sysctls()));
        List<Object> devices = new ArrayList<>();
        for (berth.kernel.model.SpecSettings.DeviceSpec d : s.devices()) {
            devices.add(Map.of("PathOnHost", d.hostPath(), "PathInContainer", d.containerPath(), "CgroupPermissions", d.permissions()));
        }
        host.put("Devices", devices);
        host.put("GroupAdd", s.groupAdd());
        host.put("Init", s.init());
        // podman's names and values (its ipc namespace of its own is "shareable")
        host.put("PidMode", s.hostNamespaces().contains("pid") ? "host" : "private");
        host.put("IpcMode", s.hostNamespaces().contains("ipc") ? "host" : "shareable");
        host.put("UTSMode", s.hostNamespaces().contains("uts") ? "host" : "private");
        host.put("ShmSize", s.shmSize() > 0 ? s.shmSize() : 65536L * 1024); // the spec's default size=65536k
    }
}
