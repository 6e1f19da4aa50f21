package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves {@code --user name|uid[:gid|group]} against the root filesystem's /etc/passwd and
 * /etc/group, as podman does; a numeric user absent from passwd gets an entry of its own.
 */
public final class UserResolver {
    /** The resolved user; {@code passwdEntry} is the line to add when the rootfs lacks one. */
    public record ResolvedUser(long uid, long gid, String home, String passwdEntry, String groupEntry) {
    }

    private UserResolver() {
    }

    public static ResolvedUser resolve(Path rootfs, String spec, String containerName) {
        if (spec == null || spec.isEmpty()) {
            return new ResolvedUser(0, 0, "/root", null, null);
        }
        String userPart = spec;
        String groupPart = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userPart = spec.substring(0, colon);
            groupPart = spec.substring(colon + 1);
        }
        List<String[]> passwd = read(rootfs.resolve("etc/passwd"));
        long uid = -1;
        long gid = -1;
        String home = "/";
        boolean found = false;
        for (String[] f : passwd) {
            if (f.length >= 4 && (f[0].equals(userPart) || f[2].equals(userPart))) {
                uid = Long.parseLong(f[2]);
                gid = Long.parseLong(f[3]);
                home = f.length > 5 ? f[5] : "/";
                found = true;
                break;
            }
        }
        if (!found) {
            if (!isNumber(userPart)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + containerName + ": unable to find user "
                        + userPart + ": no matching entries in passwd file");
            }
            uid = Long.parseLong(userPart);
            gid = uid == 0 ? 0 : uid;
        }
        boolean groupFound = true;
        if (groupPart != null && !groupPart.isEmpty()) {
            if (isNumber(groupPart)) {
                gid = Long.parseLong(groupPart);
            } else {
                groupFound = false;
                for (String[] f : read(rootfs.resolve("etc/group"))) {
                    if (f.length >= 3 && f[0].equals(groupPart)) {
                        gid = Long.parseLong(f[2]);
                        groupFound = true;
                    }
                }
                if (!groupFound) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + containerName + ": unable to find group "
                            + groupPart + ": no matching entries in group file");
                }
            }
        }
        String passwdEntry = found ? null : uid + ":*:" + uid + ":" + gid + ":container user:/:/bin/sh";
        boolean gidKnown = false;
        for (String[] f : read(rootfs.resolve("etc/group"))) {
            if (f.length >= 3 && f[2].equals(Long.toString(gid))) {
                gidKnown = true;
            }
        }
        String groupEntry = gidKnown ? null : gid + ":x:" + gid + ":";
        return new ResolvedUser(uid, gid, home, passwdEntry, groupEntry);
    }

    /**
     * {@code --group-add}: each group by number, or by name in the container's /etc/group, as podman
     * looks them up at each start (podman's error when a name is missing).
     */
    static List<Long> supplementaryGroups(Path rootfs, List<String> groups, String containerName) {
        List<Long> out = new java.util.ArrayList<>();
        List<String[]> table = null;
        for (String g : groups) {
            if (g.equals("keep-groups")) {
                continue; // podman's rootless-only value: the caller's groups; as root there is nothing to keep
            }
            if (isNumber(g)) {
                out.add(Long.parseLong(g));
                continue;
            }
            if (table == null) {
                table = read(rootfs.resolve("etc/group"));
            }
            Long gid = null;
            for (String[] f : table) {
                if (f.length >= 3 && f[0].equals(g) && isNumber(f[2])) {
                    gid = Long.parseLong(f[2]);
                    break;
                }
            }
            if (gid == null) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "looking up supplemental groups for container " + containerName
                        + ": Unable to find group " + g + ": no matching entries in group file");
            }
            out.add(gid);
        }
        return out;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static List<String[]> read(Path p) {
        try {
            return Files.readAllLines(p).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
