package berth.api.docker;

import berth.engine.CreateOptions;
import berth.kernel.json.JsonObject;
import berth.kernel.model.PullOptions;
import berth.kernel.model.SpecSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's container create body ({@code Config} with {@code HostConfig}) as the engine's
 * {@link CreateOptions}: the same options {@code berth run} maps its flags to. The image is never
 * pulled here: a missing one is a 404, on which the Docker clients pull and create again.
 */
final class CreateRequest {
    private CreateRequest() {
    }

    static CreateOptions parse(String name, JsonObject body) {
        String image = body.str("Image");
        if (image == null || image.isEmpty()) {
            throw ApiError.badRequest("config error: no image given (Image)");
        }
        JsonObject host = body.obj("HostConfig") == null ? new JsonObject() : body.obj("HostConfig");
        List<String> publish = ports(host, body);
        String memory = host.lng("Memory", 0) > 0 ? Long.toString(host.lng("Memory", 0)) : null;
        String cpus = host.lng("NanoCpus", 0) > 0 ? Double.toString(host.lng("NanoCpus", 0) / 1e9) : null;
        Long pids = host.lng("PidsLimit", 0) > 0 ? host.lng("PidsLimit", 0) : null;
        Integer stopTimeout = body.has("StopTimeout") && body.raw("StopTimeout") != null ? body.integer("StopTimeout", 10) : null;
        return new CreateOptions(name == null || name.isEmpty() ? null : name.replaceFirst("^/", ""), null, list(body, "Cmd"),
                body.strings("Env"), emptyToNull(body.str("WorkingDir")), emptyToNull(body.str("User")),
                emptyToNull(body.str("Hostname")), body.bool("Tty", false), body.bool("OpenStdin", false), host.strings("Binds"),
                tmpfs(host), network(host), publish, restart(host), emptyToNull(body.str("StopSignal")), stopTimeout, null, null,
                memory, cpus, pids, List.of(), host.bool("AutoRemove", false), body.stringMap("Labels"), Map.of(), image,
                body.raw("Entrypoint") == null ? null : list(body, "Entrypoint"), "never", PullOptions.DEFAULT)
                .withMounts(mounts(host), host.strings("VolumesFrom")).withSecurity(ulimits(host), seccomp(host), host.bool("Privileged", false))
                .withSettings(settings(host));
    }

    /**
     * The HostConfig fields that shape the spec and /etc files: CapAdd, CapDrop, ReadonlyRootfs,
     * ExtraHosts (NAME:IP), Dns, DnsSearch, DnsOptions, Sysctls, Devices, GroupAdd, ShmSize and Init;
     * the engine checks their values as it checks the CLI's.
     */
    private static SpecSettings settings(JsonObject host) {
        List<SpecSettings.DeviceSpec> devices = new ArrayList<>();
        for (JsonObject d : host.objects("Devices")) {
            String onHost = d.str("PathOnHost", "");
            String inside = d.str("PathInContainer", "");
            String perms = d.str("CgroupPermissions", "");
            devices.add(new SpecSettings.DeviceSpec(onHost, inside.isEmpty() ? onHost : inside, perms.isEmpty() ? "rwm" : perms));
        }
        return new SpecSettings(host.strings("CapAdd"), host.strings("CapDrop"), host.bool("ReadonlyRootfs", false), true,
                host.strings("ExtraHosts"), host.strings("Dns"), host.strings("DnsSearch"), host.strings("DnsOptions"),
                host.stringMap("Sysctls"), devices, host.strings("GroupAdd"), Math.max(0, host.lng("ShmSize", 0)))
                .withInit(host.bool("Init", false), "")
                .withHostNamespaces(hostNamespaces(host));
    }

    /** HostConfig.PidMode, IpcMode and UtsMode: "host" shares the host's namespace. */
    private static java.util.Set<String> hostNamespaces(JsonObject host) {
        java.util.Set<String> shared = new java.util.TreeSet<>();
        for (String type : List.of("pid", "ipc", "uts")) {
            if ("host".equals(host.str(Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Mode", ""))) {
                shared.add(type);
            }
        }
        return shared;
    }

    /** HostConfig.Ulimits ({@code [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]}) in podman's flag syntax. */
    private static List<String> ulimits(JsonObject host) {
        List<String> out = new ArrayList<>();
        for (JsonObject u : host.objects("Ulimits")) {
            out.add(u.str("Name") + "=" + u.lng("Soft", 0) + ":" + u.lng("Hard", 0));
        }
        return out;
    }

    /**
     * {@code seccomp=unconfined} (or the old {@code seccomp:unconfined}) from HostConfig.SecurityOpt; a
     * profile the docker CLI sends is the profile's text, which berth does not take, so it is left out.
     */
    private static List<String> seccomp(JsonObject host) {
        for (String opt : host.strings("SecurityOpt")) {
            if (opt.equals("seccomp=unconfined") || opt.equals("seccomp:unconfined")) {
                return List.of("seccomp=unconfined");
            }
        }
        return List.of();
    }

    /** Cmd and Entrypoint are lists, or (old clients) one string. */
    private static List<String> list(JsonObject o, String key) {
        Object v = o.raw(key);
        if (v instanceof String s) {
            return List.of(s);
        }
        return o.strings(key);
    }

    private static String network(JsonObject host) {
        String mode = host.str("NetworkMode", "");
        return mode.isEmpty() || mode.equals("default") ? null : mode;
    }

    private static String restart(JsonObject host) {
        JsonObject p = host.obj("RestartPolicy");
        if (p == null || p.str("Name", "").isEmpty()) {
            return null;
        }
        String n = p.str("Name");
        int max = p.integer("MaximumRetryCount", 0);
        return n.equals("on-failure") && max > 0 ? n + ":" + max : n;
    }

    private static List<String> tmpfs(JsonObject host) {
        List<String> out = new ArrayList<>();
        host.stringMap("Tmpfs").forEach((path, opts) -> out.add(opts == null || opts.isEmpty() ? path : path + ":" + opts));
        return out;
    }

    /** HostConfig.Mounts as {@code --mount} values. */
    private static List<String> mounts(JsonObject host) {
        List<String> out = new ArrayList<>();
        for (JsonObject m : host.objects("Mounts")) {
            String type = m.str("Type", "volume");
            StringBuilder sb = new StringBuilder("type=").append(type);
            if (!m.str("Source", "").isEmpty()) {
                sb.append(",source=").append(m.str("Source"));
            }
            String target = m.str("Target", "");
            if (target.isEmpty()) {
                throw ApiError.badRequest("invalid mount config: Target must not be empty");
            }
            sb.append(",target=").append(target);
            if (m.bool("ReadOnly", false)) {
                sb.append(",readonly");
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * PortBindings as {@code -p} values; an empty host port is one the API picks free (Docker's
     * ephemeral port), and PublishAllPorts publishes every exposed port so.
     */
    private static List<String> ports(JsonObject host, JsonObject body) {
        Map<String, List<JsonObject>> bindings = new LinkedHashMap<>();
        JsonObject pb = host.obj("PortBindings");
        if (pb != null) {
            for (String port : pb.asMap().keySet()) {
                bindings.put(port, pb.objects(port));
            }
        }
        if (host.bool("PublishAllPorts", false) && body.obj("ExposedPorts") != null) {
            for (String port : body.obj("ExposedPorts").asMap().keySet()) {
                bindings.putIfAbsent(port, List.of(new JsonObject()));
            }
        }
        List<String> out = new ArrayList<>();
        bindings.forEach((port, list) -> {
            String containerPort = port.contains("/") ? port : port + "/tcp";
            for (JsonObject b : list.isEmpty() ? List.of(new JsonObject()) : list) {
                String hostIp = b.str("HostIp", "");
                String hostPort = b.str("HostPort", "");
                if (hostPort.isEmpty() || hostPort.equals("0")) {
                    hostPort = Integer.toString(freePort(hostIp));
                }
                out.add((hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + ":" + containerPort);
            }
        });
        return out;
    }

    private static int freePort(String hostIp) {
        try (ServerSocket s = new ServerSocket(0, 1, hostIp.isEmpty() ? null : InetAddress.getByName(hostIp))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ApiError(500, "cannot find a free host port: " + e.getMessage());
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
