package berth.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of /proc/self/mountinfo: the root of the mount within its filesystem, where it is
 * mounted, the filesystem type and its super options. The one place berth reads that file's fields
 * (the volume mounts, the image store's mounts, the cgroup hierarchies); paths come unescaped
 * (mountinfo writes space, tab, newline and backslash as {@code \ooo}).
 */
public record MountInfo(String root, String mountPoint, String fsType, List<String> superOptions) {
    private static final Path FILE = Path.of("/proc/self/mountinfo");

    /** Every mount of this process's mount namespace. */
    public static List<MountInfo> read() throws IOException {
        return parseAll(Files.readAllLines(FILE, StandardCharsets.UTF_8));
    }

    /** The lines that parse, in order. */
    public static List<MountInfo> parseAll(List<String> lines) {
        List<MountInfo> out = new ArrayList<>();
        for (String l : lines) {
            parse(l).ifPresent(out::add);
        }
        return out;
    }

    /** {@code ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER}; empty when malformed. */
    public static Optional<MountInfo> parse(String line) {
        int dash = line.indexOf(" - ");
        if (dash < 0) {
            return Optional.empty();
        }
        String[] left = line.substring(0, dash).split(" ");
        String[] right = line.substring(dash + 3).split(" ");
        if (left.length < 6 || right.length < 3) {
            return Optional.empty();
        }
        return Optional.of(new MountInfo(unescape(left[3]), unescape(left[4]), right[0], List.of(right[2].split(","))));
    }

    /** Whether a mount sits exactly at {@code p}. */
    public static boolean isMountPoint(Path p) throws IOException {
        String want = p.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ", 6);
            if (f.length > 4 && unescape(f[4]).equals(want)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo's {@code \ooo} escapes decoded. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int k = from; k < from + 3; k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '7') {
                return false;
            }
        }
        return true;
    }
}
