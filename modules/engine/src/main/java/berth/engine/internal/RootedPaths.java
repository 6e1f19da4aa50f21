package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path inside a container's root, resolved as the container would see it: {@code ..} stops at the
 * root and symbolic links (absolute ones too) are followed inside the root, by hand, never by the
 * host's kernel, so no path and no link in the container can reach a host file.
 */
public final class RootedPaths {
    private static final int MAX_LINKS = 40;

    private RootedPaths() {
    }

    /**
     * The host path for {@code inside}; the last component's link is followed only when
     * {@code followLast}. Components that do not exist are kept as they are (for a file to be made).
     */
    public static Path resolve(Path root, String inside, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, inside);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            boolean last = todo.isEmpty();
            if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "too many levels of symbolic links in " + inside);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new BerthException(ErrorCode.INTERNAL, "cannot read the link " + inside + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return join(root, done);
    }

    /** Puts the components of {@code path} in front of what is still to resolve. */
    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
