package berth.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * podman's containers.conf files, and a cheap look at whether one sets anything berth reads. podman's
 * packaged file (Debian's /usr/share/containers/containers.conf) sets only
 * {@code default_capabilities} and {@code default_sysctls}; reading it would load and run the TOML
 * reader on every berth command for nothing, so a file is parsed only when a line
 * looks like a key berth reads. The look errs towards parsing: a key outside any table, a dotted key
 * or a multi-line string (which could hide a table header) counts as relevant.
 */
final class PodmanConfFiles {
    static final String PACKAGED = "/usr/share/containers/containers.conf";
    static final String ADMIN = "/etc/containers/containers.conf";

    /** Tables berth reads every key of (see ConfigLoader.readToml). */
    private static final Set<String> WHOLE_TABLES = Set.of("engine", "engine.runtimes", "storage", "network", "state");
    /** Keys of {@code [containers]} berth reads. */
    private static final Set<String> CONTAINERS_KEYS = Set.of("netns", "default_ulimits", "seccomp_profile");

    private PodmanConfFiles() {
    }

    /** Whether {@code file} may set a key berth reads; an unreadable file is left to the parser, which reports it. */
    static boolean setsWhatBerthReads(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return true;
        }
        return setsWhatBerthReads(lines);
    }

    static boolean setsWhatBerthReads(List<String> lines) {
        String table = "";
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.charAt(0) == '#') {
                continue;
            }
            if (t.contains("\"\"\"") || t.contains("'''")) {
                return true;
            }
            if (t.charAt(0) == '[') {
                int end = t.indexOf(']');
                if (end < 0) {
                    return true;
                }
                table = normalize(t.substring(t.startsWith("[[") ? 2 : 1, end));
                continue;
            }
            String key = key(t);
            if (key == null) {
                continue; // an array's continuation line
            }
            if (table.isEmpty() || key.contains(".") || WHOLE_TABLES.contains(table)
                    || table.equals("containers") && CONTAINERS_KEYS.contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** The key of a {@code key = value} line, unquoted; null for a line that is no key. */
    private static String key(String t) {
        int eq;
        if (t.charAt(0) == '"' || t.charAt(0) == '\'') {
            int close = t.indexOf(t.charAt(0), 1);
            if (close < 0) {
                return null;
            }
            eq = close + 1;
            while (eq < t.length() && (t.charAt(eq) == ' ' || t.charAt(eq) == '\t')) {
                eq++;
            }
            return eq < t.length() && t.charAt(eq) == '=' ? t.substring(1, close) : null;
        }
        eq = t.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        String k = t.substring(0, eq).strip();
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ' ' || c == '"' || c == '\'')) {
                return null;
            }
        }
        return normalize(k);
    }

    private static String normalize(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != ' ' && c != '\t' && c != '"' && c != '\'') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
