package berth.api.docker;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's container shapes: the list entry of {@code /containers/json} and the inspect document. */
final class ContainerJson {
    private ContainerJson() {
    }

    /** Docker's state words: created, running, paused, restarting, removing, exited, dead. */
    static String state(ContainerStatus s) {
        switch (s) {
            case RUNNING:
            case STOPPING:
                return "running";
            case PAUSED:
                return "paused";
            case STOPPED:
            case EXITED:
                return "exited";
            case REMOVING:
                return "removing";
            case UNKNOWN:
                return "dead";
            default:
                return "created";
        }
    }

    static Map<String, Object> summary(Container c) {
        ContainerConfig cfg = c.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Names", List.of("/" + c.name()));
        m.put("Image", cfg.image() == null || cfg.image().isEmpty() ? cfg.rootfs() : cfg.image());
        m.put("ImageID", cfg.imageId() == null ? "" : "sha256:" + cfg.imageId());
        m.put("Command", String.join(" ", cfg.command()));
        m.put("Created", cfg.createdAt() == null ? 0 : cfg.createdAt().getEpochSecond());
        List<Object> ports = new ArrayList<>();
        for (PortMapping p : cfg.network().ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
            pm.put("PrivatePort", p.containerPort());
            pm.put("PublicPort", p.hostPort());
            pm.put("Type", p.protocol());
            ports.add(pm);
        }
        m.put("Ports", ports);
        m.put("Labels", cfg.labels());
        m.put("State", state(c.status()));
        m.put("Status", statusText(c));
        m.put("HostConfig", Map.of("NetworkMode", networkMode(cfg)));
        Map<String, Object> nets = new LinkedHashMap<>();
        cfg.network().networks().forEach(n -> nets.put(n, Map.of("NetworkID", n)));
        m.put("NetworkSettings", Map.of("Networks", nets));
        m.put("Mounts", List.of());
        return m;
    }

    /** {@code Up 3 seconds}, {@code Exited (0) 2 minutes ago}, {@code Created}. */
    static String statusText(Container c) {
        Instant now = Instant.now();
        switch (c.status()) {
            case RUNNING:
            case STOPPING:
                return "Up " + ago(c.state().startedAt(), now);
            case PAUSED:
                return "Up " + ago(c.state().startedAt(), now) + " (Paused)";
            case STOPPED:
            case EXITED:
                return "Exited (" + c.state().exitCode() + ") " + ago(c.state().finishedAt(), now) + " ago";
            default:
                return "Created";
        }
    }

    private static String ago(Instant t, Instant now) {
        if (t == null) {
            return "Less than a second";
        }
        long s = Math.max(0, Duration.between(t, now).getSeconds());
        if (s < 1) {
            return "Less than a second";
        } else if (s < 60) {
            return s + " seconds";
        } else if (s < 3600) {
            return s / 60 == 1 ? "About a minute" : s / 60 + " minutes";
        } else if (s < 86400) {
            return s / 3600 == 1 ? "About an hour" : s / 3600 + " hours";
        }
        return s / 86400 + " days";
    }

    static String networkMode(ContainerConfig cfg) {
        String mode = cfg.network().mode();
        return mode == null || mode.isEmpty() ? "default" : mode;
    }

    /** Docker writes the stop signal by name. */
    static String signalName(int signal) {
        switch (signal) {
            case 1:
                return "SIGHUP";
            case 2:
                return "SIGINT";
            case 3:
                return "SIGQUIT";
            case 9:
                return "SIGKILL";
            case 10:
                return "SIGUSR1";
            case 12:
                return "SIGUSR2";
            case 15:
                return "SIGTERM";
            default:
                return Integer.toString(signal);
        }
    }

    /** Docker's inspect document, from the engine's podman-shaped one and the record. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> inspect(Container c, Map<String, Object> podman) {
        ContainerConfig cfg = c.config();
        Map<String, Object> m = new LinkedHashMap<>(podman);
        m.put("Name", "/" + c.name());
        m.put("Image", cfg.imageId() == null || cfg.imageId().isEmpty() ? "" : "sha256:" + cfg.imageId());
        Map<String, Object> state = new LinkedHashMap<>((Map<String, Object>) podman.get("State"));
        state.put("Status", state(c.status()));
        state.put("Running", c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.STOPPING);
        m.put("State", state);
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) podman.get("Config"));
        config.put("Image", cfg.image() == null ? "" : cfg.image());
        config.put("StopSignal", signalName(cfg.stopSignal()));
        config.remove("Annotations");
        config.put("Entrypoint", null);
        config.put("AttachStdin", false);
        config.put("AttachStdout", false);
        config.put("AttachStderr", false);
        config.put("StdinOnce", false);
        Map<String, Object> exposed = new LinkedHashMap<>();
        Map<String, Object> ports = new LinkedHashMap<>();
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (PortMapping p : cfg.network().ports()) {
            String key = p.containerPort() + "/" + p.protocol();
            exposed.put(key, Map.of());
            Map<String, Object> b = Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), "HostPort", Integer.toString(p.hostPort()));
            ((List<Object>) ports.computeIfAbsent(key, k -> new ArrayList<>())).add(b);
            ((List<Object>) bindings.computeIfAbsent(key, k -> new ArrayList<>())).add(b);
        }
        config.put("ExposedPorts", exposed);
        config.put("Volumes", null);
        m.put("Config", config);
        Map<String, Object> hostConfig = new LinkedHashMap<>((Map<String, Object>) podman.get("HostConfig"));
        hostConfig.put("NetworkMode", networkMode(cfg));
        hostConfig.put("PortBindings", bindings);
        hostConfig.put("Binds", List.of());
        hostConfig.put("PublishAllPorts", false);
        m.put("HostConfig", hostConfig);
        Map<String, Object> podmanNet = (Map<String, Object>) podman.get("NetworkSettings");
        Map<String, List<String>> addresses = (Map<String, List<String>>) podmanNet.getOrDefault("Addresses", Map.of());
        Map<String, Object> networks = new LinkedHashMap<>();
        String firstIp = "";
        for (String n : cfg.network().networks()) {
            List<String> ips = addresses.getOrDefault(n, List.of());
            String ip = ips.isEmpty() ? "" : ips.get(0);
            if (firstIp.isEmpty()) {
                firstIp = ip;
            }
            Map<String, Object> ep = new LinkedHashMap<>();
            ep.put("NetworkID", n);
            ep.put("EndpointID", "");
            ep.put("IPAddress", ip);
            ep.put("IPPrefixLen", 0);
            ep.put("Gateway", "");
            ep.put("MacAddress", "");
            List<String> aliases = new ArrayList<>(List.of(c.name(), cfg.shortId()));
            if (podmanNet.get("Aliases") instanceof Map<?, ?> byNet && byNet.get(n) instanceof List<?> extra) {
                extra.forEach(a -> aliases.add(String.valueOf(a)));
            }
            ep.put("Aliases", aliases);
            networks.put(n, ep);
        }
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", podmanNet.get("SandboxKey"));
        net.put("Ports", ports);
        net.put("IPAddress", firstIp);
        net.put("Gateway", "");
        net.put("MacAddress", "");
        net.put("Networks", networks);
        m.put("NetworkSettings", net);
        List<Object> mounts = new ArrayList<>();
        for (Object o : (List<Object>) podman.getOrDefault("Mounts", List.of())) {
            Map<String, Object> pm = (Map<String, Object>) o;
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("Type", pm.get("Type"));
            if (pm.containsKey("Name")) {
                dm.put("Name", pm.get("Name"));
                dm.put("Driver", "local");
            }
            dm.put("Source", pm.get("Source"));
            dm.put("Destination", pm.get("Destination"));
            dm.put("Mode", "");
            dm.put("RW", pm.get("RW"));
            dm.put("Propagation", "rprivate");
            mounts.add(dm);
        }
        m.put("Mounts", mounts);
        return m;
    }
}
