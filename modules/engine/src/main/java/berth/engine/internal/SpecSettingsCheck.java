package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.SpecSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Create-time checks of {@link SpecSettings}, with podman's wording, so that a bad flag is refused
 * before anything is made: host entries and name servers must be IP addresses, DNS flags need a
 * network of the container's own, a sysctl must be namespaced (and a net. one needs its own
 * network namespace), and a device must be a device node. Capabilities are checked where they are
 * merged ({@link CapabilitySets}).
 */
final class SpecSettingsCheck {
    /** The IPC namespace's sysctls (besides fs.mqueue.*), as podman allows them. */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> UTS_SYSCTLS = Set.of("kernel.domainname", "kernel.hostname");

    private SpecSettingsCheck() {
    }

    static void check(SpecSettings s, NetworkSpec net) {
        if (s.noHosts() && !s.extraHosts().isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "--no-hosts and --add-host cannot be set together");
        }
        for (String h : s.extraHosts()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "bad format for add-host: \"" + h + "\"");
            }
            if (!isIp(h.substring(colon + 1))) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid IP address in add-host: \"" + h.substring(colon + 1) + "\"");
            }
        }
        for (String ns : s.dnsServers()) {
            if (!isIp(ns)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, ns + " is not an ip address");
            }
        }
        if (net.isHost() || net.mode().equals("none")) {
            for (Map.Entry<String, List<String>> f : Map.of("dns", s.dnsServers(), "dns-search", s.dnsSearch(), "dns-option",
                    s.dnsOptions()).entrySet()) {
                if (!f.getValue().isEmpty()) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "conflicting options: " + f.getKey()
                            + " and the network mode: " + net.mode());
                }
            }
        }
        for (String key : s.sysctls().keySet()) {
            boolean allowed = IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.") || UTS_SYSCTLS.contains(key)
                    || key.startsWith("net.") && !net.isHost();
            if (!allowed) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "sysctl '" + key + "' is not allowed");
            }
        }
        for (SpecSettings.DeviceSpec d : s.devices()) {
            if (!d.containerPath().startsWith("/")) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, d.containerPath() + " is not an absolute path");
            }
            try {
                if (Privileged.device(Path.of(d.hostPath()).toRealPath()) == null) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, d.hostPath() + " is not a device node");
                }
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "stat " + d.hostPath() + ": no such file or directory");
            }
        }
        for (String ns : s.hostNamespaces()) {
            if (!List.of("pid", "ipc", "uts").contains(ns)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot share the host's " + ns + " namespace: berth shares pid, ipc and uts");
            }
        }
        if (s.hostNamespaces().contains("ipc") && s.shmSize() > 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot set shmsize when running in the host IPC Namespace");
        }
        if (s.shmSize() < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --shm-size " + s.shmSize() + ": it must not be negative");
        }
    }

    /** Where podman's packages put the init binary, in podman's order of preference. */
    static final List<String> INIT_PATHS = List.of("/usr/libexec/podman/catatonit", "/usr/bin/catatonit");

    /** {@code --init}'s binary fixed at create: the one given, else the first of {@link #INIT_PATHS} present. */
    static SpecSettings resolveInit(SpecSettings s) {
        if (!s.init()) {
            return s;
        }
        String path = s.initPath();
        if (path.isEmpty()) {
            path = INIT_PATHS.stream().filter(p -> java.nio.file.Files.isExecutable(Path.of(p))).findFirst().orElse(INIT_PATHS.get(0));
        }
        if (!java.nio.file.Files.isRegularFile(Path.of(path))) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container-init binary not found on the host: stat " + path
                    + ": no such file or directory");
        }
        return s.withInit(true, path);
    }

    /** A literal IPv4 or IPv6 address (never a name: InetAddress would resolve one). */
    static boolean isIp(String s) {
        if (s.isEmpty() || !(s.contains(":") || s.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
            return false;
        }
        if (!s.contains(":")) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!s.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)) {
            return false;
        }
        try {
            InetAddress.getByName(s); // only hex digits, colons and dots: parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
