package berth.image.support.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a layer entry's path inside the extraction root one component at a time, never trusting
 * the kernel to resolve a path that might pass through a symbolic link the layer made.
 *
 * <p>The rules: an entry name is cleaned lexically; if its {@code ..} climbs above the root it is
 * refused, and an absolute name is taken relative to the root (as docker does). A symbolic link met
 * among the parent directories is followed as the kernel would inside a chroot at the root (an
 * absolute target starts again at the root), but only if it ends at an existing directory and its
 * {@code ..} never climbs above the root; otherwise the entry is refused. The last component is
 * never followed. So every path handed back is the root plus real directories plus one name.
 */
final class RootedResolver {
    private static final int MAX_LINK_HOPS = 40;

    /** What to do with a missing directory among the parents. */
    enum Missing {
        /** make it (0755, as docker's MkdirAll) */
        CREATE,
        /** return null */
        ABSENT
    }

    private final Path root;

    RootedResolver(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The components of an entry name, cleaned ({@code .} and empty parts dropped, {@code ..}
     * applied); empty for the root itself.
     *
     * @throws IOException {@code layer entry "NAME" escapes the root} when {@code ..} climbs above it
     */
    static List<String> components(String entryName, String what) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String part : entryName.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IOException(what + " \"" + entryName + "\" escapes the root");
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * The real directory that {@code parents} names, symbolic links followed under the rules above.
     *
     * @return the directory, or null when one is missing and {@code missing} is ABSENT
     */
    Path directory(List<String> parents, Missing missing, String entryName) throws IOException {
        Deque<String> pending = new ArrayDeque<>(parents);
        List<String> resolved = new ArrayList<>();
        Path current = root;
        int hops = 0;
        boolean viaLink = false;
        while (!pending.isEmpty()) {
            String c = pending.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (resolved.isEmpty()) {
                    throw new IOException("layer entry \"" + entryName + "\": a symbolic link among its parents leads outside the root");
                }
                resolved.remove(resolved.size() - 1);
                current = current.getParent();
                continue;
            }
            Path next = current.resolve(c);
            BasicFileAttributes a = lstat(next);
            if (a == null) {
                if (viaLink) {
                    throw new IOException("layer entry \"" + entryName + "\": a symbolic link among its parents does not lead to a directory inside the root");
                }
                if (missing == Missing.ABSENT) {
                    return null;
                }
                Files.createDirectory(next);
                a = lstat(next);
            }
            if (a.isSymbolicLink()) {
                if (++hops > MAX_LINK_HOPS) {
                    throw new IOException("layer entry \"" + entryName + "\": too many levels of symbolic links");
                }
                viaLink = true;
                String target = new String(FileSystemCalls.readlink(next), StandardCharsets.UTF_8);
                String[] targetParts = target.split("/");
                for (int i = targetParts.length - 1; i >= 0; i--) {
                    pending.addFirst(targetParts[i]);
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                    current = root;
                }
                continue;
            }
            if (!a.isDirectory()) {
                throw new IOException("layer entry \"" + entryName + "\": its parent \"" + String.join("/", resolved)
                        + (resolved.isEmpty() ? "" : "/") + c + "\" is not a directory");
            }
            resolved.add(c);
            current = next;
        }
        return current;
    }

    /**
     * Checks that the symbolic link {@code link} (inside the root) resolves, under the same rules,
     * without climbing above the root. A target that does not exist is no error here.
     */
    void checkLinkStaysInside(Path link, String entryName) throws IOException {
        String target = new String(FileSystemCalls.readlink(link), StandardCharsets.UTF_8);
        List<String> start = new ArrayList<>();
        if (!target.startsWith("/")) {
            Path parent = root.relativize(link.getParent());
            for (Path p : parent) {
                if (!p.toString().isEmpty()) {
                    start.add(p.toString());
                }
            }
        }
        int depth = start.size();
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (depth == 0) {
                    throw new IOException("layer entry \"" + entryName + "\" is a hard link to a symbolic link that leads outside the root");
                }
                depth--;
            } else {
                depth++;
            }
        }
    }

    /** lstat, null when missing. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
