package berth.cli;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.model.SpecSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * create/run's flags that shape the spec and the /etc files ({@code --cap-add}, {@code --read-only},
 * {@code --add-host}, {@code --dns}, {@code --sysctl}, {@code --device}, {@code --group-add},
 * {@code --shm-size}, {@code --init}) and {@code --env-file}, parsed as podman's are: list flags repeat and take
 * commas, and the engine checks the values.
 */
final class RunFlags {
    static final List<Opt> CREATE_FLAGS = List.of(
            Opt.value("--cap-add", "CAP", "Add capabilities (NET_ADMIN, cap_sys_time, ALL; repeatable, comma-separated)."),
            Opt.value("--cap-drop", "CAP", "Drop capabilities (CHOWN, ALL; repeatable, comma-separated)."),
            Opt.flag("--read-only", "Mount the root filesystem read-only (with tmpfs on /run, /tmp and /var/tmp)."),
            Opt.flag("--read-only-tmpfs", "With --read-only, mount tmpfs on /run, /tmp and /var/tmp (default true)."),
            Opt.value("--add-host", "HOST:IP", "Add a line to /etc/hosts (repeatable)."),
            Opt.flag("--no-hosts", "Do not create /etc/hosts for the container: the image's own is seen."),
            Opt.value("--dns", "IP", "Name server for resolv.conf, in place of the host's (repeatable)."),
            Opt.value("--dns-search", "DOMAIN", "Search domain for resolv.conf (repeatable; . for none)."),
            Opt.value("--dns-option", "OPT", "Option for resolv.conf (repeatable)."),
            Opt.value("--sysctl", "KEY=VALUE", "A namespaced kernel parameter (net.*, kernel.shm*, fs.mqueue.*; repeatable)."),
            Opt.value("--device", "HOST[:CTR][:rwm]", "Give the container a host device node (repeatable)."),
            Opt.value("--group-add", "GROUP", "Add a supplementary group: a name in the container's /etc/group, or a GID."),
            Opt.value("--shm-size", "SIZE", "Size of /dev/shm (default 64m)."),
            Opt.value("--env-file", "FILE", "Read KEY=VALUE lines into the environment (repeatable; before -e)."),
            Opt.value("--pid", "MODE", "host: the host's PID namespace (default: the container's own)."),
            Opt.value("--ipc", "MODE", "host: the host's IPC namespace and /dev/shm (default: the container's own)."),
            Opt.value("--uts", "MODE", "host: the host's UTS namespace and host name (default: the container's own)."),
            Opt.flag("--init", "Run an init (catatonit) as PID 1 that forwards signals and reaps zombies."),
            Opt.value("--init-path", "PATH", "The init binary for --init (default /usr/libexec/podman/catatonit)."));

    private RunFlags() {
    }

    static SpecSettings settings(Args a, String context) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String s : a.all("sysctl")) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw Args.usage(context, s + " is invalid, sysctl values must be in the form of KEY=VALUE");
            }
            sysctls.put(s.substring(0, eq), s.substring(eq + 1));
        }
        List<SpecSettings.DeviceSpec> devices = new ArrayList<>();
        for (String d : a.all("device")) {
            SpecSettings.DeviceSpec spec = SpecSettings.DeviceSpec.parse(d);
            if (spec == null) {
                throw Args.usage(context, "invalid device specification: " + d);
            }
            devices.add(spec);
        }
        long shm = 0;
        String shmSize = a.get("shm-size");
        if (shmSize != null) {
            try {
                shm = Engine.parseSize(shmSize);
            } catch (BerthException e) {
                throw Args.usage(context, "unable to translate --shm-size: invalid size: '" + shmSize + "'");
            }
        }
        boolean tmpfs = a.get("read-only-tmpfs") == null || a.has("read-only-tmpfs");
        return new SpecSettings(commaSeparated(a.all("cap-add")), commaSeparated(a.all("cap-drop")), a.has("read-only"), tmpfs,
                a.all("add-host"), commaSeparated(a.all("dns")), a.all("dns-search"), a.all("dns-option"), sysctls, devices,
                commaSeparated(a.all("group-add")), shm).withInit(a.has("init"), a.get("init-path") == null ? "" : a.get("init-path"))
                .withHostNamespaces(hostNamespaces(a, context)).withNoHosts(a.has("no-hosts"));
    }

    /** {@code --pid}, {@code --ipc}, {@code --uts}: host, or private (the default); podman's other modes are refused. */
    private static java.util.Set<String> hostNamespaces(Args a, String context) {
        java.util.Set<String> shared = new java.util.TreeSet<>();
        for (String type : List.of("pid", "ipc", "uts")) {
            String mode = a.get(type);
            if (mode == null || mode.isEmpty() || mode.equals("private")) {
                continue;
            }
            if (!mode.equals("host")) {
                throw Args.usage(context, "--" + type + " " + mode + ": berth takes host or private");
            }
            shared.add(type);
        }
        return shared;
    }

    /** {@code --env-file} lines (KEY=VALUE, or KEY to take berth's own value; # comments), then {@code -e}'s. */
    static List<String> environment(Args a, String context) {
        List<String> env = new ArrayList<>();
        for (String file : a.all("env-file")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw Args.usage(context, "open " + file + ": no such file or directory");
            }
            for (String line : lines) {
                String t = line.stripLeading();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (t.startsWith("=")) {
                    throw Args.usage(context, "invalid environment variable: \"" + line + "\" in " + file);
                }
                env.add(t);
            }
        }
        env.addAll(a.all("env"));
        return env;
    }

    private static List<String> commaSeparated(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
