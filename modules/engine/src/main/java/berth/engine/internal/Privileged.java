package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code --privileged} gives a container beyond an unprivileged one, as podman's spec
 * generation does: every capability the running kernel knows, and the host's device nodes.
 */
final class Privileged {
    /** Capability names by number (linux/capability.h). */
    private static final List<String> CAPS = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
            "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN",
            "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
            "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
            "PERFMON", "BPF", "CHECKPOINT_RESTORE");
    /** Directories under /dev whose nodes are the container's own (its devpts, shm, mqueue) or not devices at all. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private Privileged() {
    }

    /** Whether {@code name} ({@code CAP_X}) is a capability the kernel headers define. */
    static boolean knows(String name) {
        return name.startsWith("CAP_") && CAPS.contains(name.substring(4));
    }

    /**
     * Every capability berth's own process may pass on: its bounding set (podman's BoundingSet(),
     * since a capability outside it cannot be granted: capset fails), sorted by name as podman lists them.
     */
    static List<String> capabilities() {
        return capabilities(boundingSet());
    }

    /** The names of the capabilities whose bits are set in {@code mask}. */
    static List<String> capabilities(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < CAPS.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add("CAP_" + CAPS.get(i));
            }
        }
        out.sort(null);
        return out;
    }

    private static long boundingSet() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(l.substring("CapBnd:".length()).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "--privileged: cannot read berth's capability bounding set from /proc/self/status");
    }

    /**
     * The character and block devices under {@code dev} (the host's /dev) as the spec's
     * {@code linux.devices}: path, type, major, minor, mode and owner, as the host has them.
     * The console and the directories of per-container nodes are left out.
     */
    static List<Map<String, Object>> hostDevices(Path dev) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dev)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = dev.relativize(p);
                if (rel.getNameCount() > 1 && SKIPPED_DIRS.contains(rel.getName(0).toString())
                        || p.getFileName().toString().equals("console")) {
                    continue;
                }
                Map<String, Object> d = device(p);
                if (d != null) {
                    out.add(d);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "reading the host's devices in " + dev + " for --privileged: " + e.getMessage());
        }
        return out;
    }

    /** One device node, or null for anything else (a directory, a link, a socket, a node that vanished). */
    static Map<String, Object> device(Path p) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        int mode = (Integer) a.get("mode");
        int fmt = mode & 0170000;
        String type = fmt == 0020000 ? "c" : fmt == 0060000 ? "b" : null;
        if (type == null) {
            return null;
        }
        long rdev = (Long) a.get("rdev");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", p.toString());
        d.put("type", type);
        d.put("major", major(rdev));
        d.put("minor", minor(rdev));
        d.put("fileMode", mode & 07777);
        d.put("uid", a.get("uid"));
        d.put("gid", a.get("gid"));
        return d;
    }

    /** glibc's gnu_dev_major / gnu_dev_minor encoding of a dev_t. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
    }
}
