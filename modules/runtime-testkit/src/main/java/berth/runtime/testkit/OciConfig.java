package berth.runtime.testkit;

import berth.kernel.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kit's own config.json: the shape berth's engine generates (process, root, the standard /proc,
 * /dev, /dev/pts, /dev/shm and /sys mounts, pid/ipc/uts/mount and network namespaces, a cgroups
 * path), reduced to what the conformance cases need, plus one read-write bind mount, {@link #SHARED},
 * through which a container's shell reports to the test.
 */
public final class OciConfig {
    /** Where the container sees the test's shared directory. */
    public static final String SHARED = "/shared";
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");

    private OciConfig() {
    }

    /** config.json for {@code spec} over {@code rootfs}, with {@code shared} mounted at {@link #SHARED}. */
    public static Map<String, Object> generate(ContainerSpec spec, Path rootfs, Path shared, String cgroupsPath) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", spec.terminal());
        process.put("user", Map.of("uid", 0, "gid", 0));
        process.put("args", spec.args());
        process.put("env", spec.env());
        process.put("cwd", spec.cwd());
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String set : List.of("bounding", "effective", "permitted")) {
            caps.put(set, CAPS);
        }
        process.put("capabilities", caps);
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)));
        process.put("noNewPrivileges", false);

        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        mounts.add(mount(SHARED, "bind", shared.toString(), List.of("rbind", "rprivate", "rw")));

        List<Map<String, Object>> namespaces = new ArrayList<>();
        namespaces.add(Map.of("type", "pid"));
        namespaces.add(Map.of("type", "ipc"));
        namespaces.add(Map.of("type", "uts"));
        namespaces.add(Map.of("type", "mount"));
        if (spec.network() instanceof ContainerSpec.Network.Join join) {
            namespaces.add(Map.of("type", "network", "path", join.path().toString()));
        } else if (spec.network() instanceof ContainerSpec.Network.Fresh) {
            namespaces.add(Map.of("type", "network"));
        }
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", namespaces);
        linux.put("cgroupsPath", cgroupsPath);
        linux.put("resources", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2");
        config.put("process", process);
        config.put("root", Map.of("path", rootfs.toAbsolutePath().toString(), "readonly", false));
        config.put("hostname", "kit");
        config.put("mounts", mounts);
        config.put("linux", linux);
        return config;
    }

    /** Writes config.json into {@code bundle}. */
    public static void write(Map<String, Object> config, Path bundle) throws IOException {
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), Json.write(config, true));
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }
}
