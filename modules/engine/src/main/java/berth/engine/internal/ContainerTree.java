package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A container's file tree as the host sees it: a root directory and the mounts over it (volumes and
 * bind mounts of a stopped container; none for a running one, whose {@code /proc/PID/root} shows
 * them already). Paths are resolved here one component at a time, as the kernel would inside the
 * container's root: a symbolic link is read, never followed by the host, an absolute target starts
 * again at the container's root and {@code ..} stops there, so no resolution reaches the host's
 * own files (what securejoin and buildah's copier do for podman).
 */
record ContainerTree(Path root, List<Mount> mounts) {
    /** Linux's limit on the links one lookup may follow (ELOOP past it). */
    static final int MAX_LINKS = 40;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** A directory of the host mounted at {@code destination} (absolute, normalised) in the container. */
    record Mount(String destination, Path source) {
    }

    /** A resolved path: where it is in the container, and the host path that holds it (which may not exist). */
    record Resolved(String containerPath, Path hostPath) {
        boolean exists() {
            return Files.exists(hostPath, NOFOLLOW);
        }

        boolean isDirectory() {
            return Files.isDirectory(hostPath, NOFOLLOW);
        }
    }

    ContainerTree {
        mounts = List.copyOf(mounts);
    }

    /** A tree with nothing mounted over its root (the host side of a copy, or a running container's /proc/PID/root). */
    static ContainerTree of(Path root) {
        return new ContainerTree(root, List.of());
    }

    /**
     * Resolves {@code path} (absolute or relative to the root) inside the tree. Every symbolic link on
     * the way is resolved inside the root; the last component's link too when {@code followLast}.
     * Components after a missing one are taken as written.
     */
    Resolved resolve(String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(part);
            if (todo.isEmpty() && !followLast) {
                break;
            }
            Path host = hostPath(done);
            if (!Files.isSymbolicLink(host)) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "resolving \"" + path + "\": too many levels of symbolic links");
            }
            String target = readLink(host);
            done.remove(done.size() - 1);
            if (target.startsWith("/")) {
                done.clear(); // an absolute link starts again at the container's root, never the host's
            }
            List<String> parts = split(target);
            for (int i = parts.size() - 1; i >= 0; i--) {
                todo.addFirst(parts.get(i));
            }
        }
        return new Resolved(join(done), hostPath(done));
    }

    /** The host path of a container path given as clean components (no ".", "..", or links to resolve). */
    Path hostPath(List<String> components) {
        Mount best = null;
        int bestDepth = -1;
        for (Mount m : mounts) {
            List<String> dest = split(m.destination());
            if (dest.size() > bestDepth && dest.size() <= components.size() && components.subList(0, dest.size()).equals(dest)) {
                best = m;
                bestDepth = dest.size();
            }
        }
        Path p = best == null ? root : best.source();
        for (String c : components.subList(Math.max(bestDepth, 0), components.size())) {
            p = p.resolve(c);
        }
        return p;
    }

    /** The host path of a clean absolute container path. */
    Path hostPath(String containerPath) {
        return hostPath(split(containerPath));
    }

    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return parts;
    }

    static String join(List<String> components) {
        return components.isEmpty() ? "/" : "/" + String.join("/", components);
    }

    /** The parent of a clean absolute container path ("/" for "/"). */
    static String parent(String containerPath) {
        List<String> parts = split(containerPath);
        return parts.isEmpty() ? "/" : join(parts.subList(0, parts.size() - 1));
    }

    /** The last component of a clean absolute container path ("/" for "/"). */
    static String baseName(String containerPath) {
        List<String> parts = split(containerPath);
        return parts.isEmpty() ? "/" : parts.get(parts.size() - 1);
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "reading the symbolic link " + link + ": " + e.getMessage(), e);
        }
    }
}
