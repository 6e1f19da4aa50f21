package berth.engine.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's /etc/hosts as podman 4 writes it (containers/common's etchosts): the {@code --add-host}
 * entries, then the base file's (the host's /etc/hosts by default; two loopback lines when it has
 * none), then {@code host.containers.internal} and the container's own and its peers' addresses,
 * each with only the names no earlier line gave.
 */
final class HostsFile {
    static final String HOST_CONTAINERS_INTERNAL = "host.containers.internal";

    /** One line: an address and its names. */
    record Entry(String ip, List<String> names) {
        Entry {
            names = List.copyOf(names);
        }
    }

    /** What stands in for an empty base file. */
    static final List<Entry> DEFAULTS = List.of(
            new Entry("127.0.0.1", List.of("localhost", "localhost.localdomain", "localhost4", "localhost4.localdomain4")),
            new Entry("::1", List.of("localhost", "localhost.localdomain", "localhost6", "localhost6.localdomain6")));

    private HostsFile() {
    }

    /** A hosts file's entries: comments (also after an entry) dropped, a line of fewer than two fields skipped. */
    static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            List<String> fields = new ArrayList<>();
            for (String f : line.trim().split("\\s+")) {
                if (f.startsWith("#")) {
                    break;
                }
                if (!f.isEmpty()) {
                    fields.add(f);
                }
            }
            if (fields.size() >= 2) {
                out.add(new Entry(fields.get(0), fields.subList(1, fields.size())));
            }
        }
        return out;
    }

    /**
     * The file: {@code user} and {@code base} (or {@link #DEFAULTS}) entries as they are, then each of
     * {@code container} (in order: host.containers.internal, own addresses, peers) with the names not
     * written yet, skipped when none is left.
     */
    static String render(List<Entry> user, List<Entry> base, Map<String, List<String>> container) {
        StringBuilder out = new StringBuilder();
        Set<String> names = new HashSet<>();
        for (List<Entry> entries : List.of(user, base.isEmpty() ? DEFAULTS : base)) {
            for (Entry e : entries) {
                names.addAll(e.names());
                line(out, e.ip(), e.names());
            }
        }
        for (Map.Entry<String, List<String>> e : container.entrySet()) {
            List<String> add = new ArrayList<>();
            for (String n : e.getValue()) {
                if (!names.contains(n) && !add.contains(n)) {
                    add.add(n);
                }
            }
            if (!add.isEmpty()) {
                line(out, e.getKey(), add);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String ip, List<String> names) {
        out.append(ip).append('\t').append(String.join(" ", names)).append('\n');
    }
}
