package berth.network.slirp4netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whether slirp4netns's sandbox is safe to use on this host. */
final class SlirpSandbox {
    private SlirpSandbox() {
    }

    /**
     * Why slirp4netns's {@code --enable-sandbox} would damage this host, or null when it would not. The
     * sandbox (run as root) unshares a mount namespace in which the host's shared mounts stay peers of
     * the host's, makes only {@code /} private and {@code /etc}, {@code /run} slaves (when they are mount
     * points), then detaches the old root: every mount whose parent is still a shared peer is unmounted
     * in the host too. With {@code ip netns}-style namespaces (a shared /run/netns) on a host whose /run
     * is no mount point, that unmounts the namespace files of every container. So the sandbox is only
     * allowed when no mount hangs off a shared mount outside those subtrees.
     */
    static String hazard() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return "cannot read /proc/self/mountinfo (" + e.getMessage() + ")";
        }
        record Mount(String id, String parent, String point, boolean shared) {
        }
        Map<String, Mount> byId = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 7) {
                continue;
            }
            boolean shared = false;
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                shared |= f[i].startsWith("shared:");
            }
            String point = f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            byId.put(f[0], new Mount(f[0], f[1], point, shared));
        }
        List<String> slaveRoots = new ArrayList<>();
        for (Mount m : byId.values()) {
            if (m.point().equals("/etc") || m.point().equals("/run")) {
                slaveRoots.add(m.point());
            }
        }
        for (Mount m : byId.values()) {
            Mount parent = byId.get(m.parent());
            if (parent == null || parent.point().equals("/") || !parent.shared()) {
                continue;
            }
            boolean protectedBySlave = false;
            for (String root : slaveRoots) {
                protectedBySlave |= parent.point().equals(root) || parent.point().startsWith(root + "/");
            }
            if (!protectedBySlave) {
                return "its sandbox would unmount " + m.point() + " in the host (it is mounted on the shared mount "
                        + parent.point() + ", which the sandbox leaves shared)";
            }
        }
        return null;
    }
}
