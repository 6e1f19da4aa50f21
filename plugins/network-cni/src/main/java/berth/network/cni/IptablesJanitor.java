package berth.network.cni;

import berth.support.Subprocess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A last sweep after CNI DEL: removes iptables rules whose comment names the container (the bridge
 * plugin's masquerade rule and the portmap plugin's DNAT jump are commented {@code id: "CONTAINERID"})
 * and the per-container chains they jump to. The plugins remove these themselves; the sweep matters
 * when they could not, e.g. the bridge plugin skips its masquerade teardown when the namespace or its
 * veth is gone. One {@code iptables-save} finds the rules; one {@code iptables-restore --noflush}
 * batch removes them (one rule or chain per process only when the batch is refused).
 */
final class IptablesJanitor {
    private static final Set<String> SHARED_CHAINS = Set.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SNAT",
            "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK", "CNI-FORWARD", "CNI-ADMIN");
    private static final List<String> TABLES = List.of("nat", "filter");

    private IptablesJanitor() {
    }

    /** What one table holds of a container: its rules (iptables-save lines) and the chains they jump to. */
    record Leftovers(List<String> rules, Set<String> chains) {
        boolean isEmpty() {
            return rules.isEmpty() && chains.isEmpty();
        }
    }

    /** Returns the rules it could not delete, as messages; an absent iptables is not an error. */
    static List<String> sweep(String containerId) {
        String save = run(List.of("iptables-save"), null);
        if (save == null) {
            return List.of();
        }
        Map<String, Leftovers> found = find(save, containerId);
        if (found.isEmpty()) {
            return List.of();
        }
        if (restore(restoreScript(found))) {
            return List.of();
        }
        return oneByOne(found); // the batch is all or nothing: find out which rule it could not delete
    }

    /** The container's leftovers in the nat and filter tables of an iptables-save dump; tables without any are left out. */
    static Map<String, Leftovers> find(String save, String containerId) {
        String needle = "id: \\\"" + containerId + "\\\"";
        Map<String, Leftovers> out = new LinkedHashMap<>();
        String table = null;
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
                continue;
            }
            if (table == null || !TABLES.contains(table) || !line.startsWith("-A ") || !line.contains(needle)) {
                continue;
            }
            Leftovers l = out.computeIfAbsent(table, t -> new Leftovers(new ArrayList<>(), new LinkedHashSet<>()));
            l.rules().add(line);
            List<String> tokens = tokenize(line);
            for (int i = 0; i + 1 < tokens.size(); i++) {
                if ((tokens.get(i).equals("-j") || tokens.get(i).equals("-g")) && tokens.get(i + 1).startsWith("CNI-")
                        && !SHARED_CHAINS.contains(tokens.get(i + 1))) {
                    l.chains().add(tokens.get(i + 1));
                }
            }
        }
        return out;
    }

    /** iptables-restore input deleting the rules (saved lines with -A made -D), then flushing and deleting their chains. */
    static String restoreScript(Map<String, Leftovers> found) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Leftovers> e : found.entrySet()) {
            sb.append('*').append(e.getKey()).append('\n');
            for (String rule : e.getValue().rules()) {
                sb.append("-D").append(rule.substring(2)).append('\n');
            }
            for (String chain : e.getValue().chains()) {
                sb.append("-F ").append(chain).append('\n');
            }
            for (String chain : e.getValue().chains()) {
                sb.append("-X ").append(chain).append('\n');
            }
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }

    private static List<String> oneByOne(Map<String, Leftovers> found) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Leftovers> e : found.entrySet()) {
            String table = e.getKey();
            for (String line : e.getValue().rules()) {
                List<String> tokens = tokenize(line);
                List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                cmd.addAll(tokens.subList(1, tokens.size()));
                if (run(cmd, null) == null) {
                    problems.add("cannot delete iptables rule (table " + table + "): " + line);
                }
            }
            for (String chain : e.getValue().chains()) {
                run(List.of("iptables", "-w", "-t", table, "-F", chain), null);
                run(List.of("iptables", "-w", "-t", table, "-X", chain), null);
            }
        }
        return problems;
    }

    /** Splits an iptables-save rule line into arguments, undoing its double-quote quoting. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                if (cur == null) {
                    cur = new StringBuilder();
                }
                if (c == '"') {
                    quoted = true;
                } else {
                    cur.append(c);
                }
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Runs a command; its output (stderr merged), or null when it could not run, failed or outlived 30 s. */
    static String run(List<String> cmd) {
        return run(cmd, null);
    }

    /** Runs an {@code iptables-restore --noflush} batch; true when it was accepted whole. */
    static boolean restore(String script) {
        return run(List.of("iptables-restore", "-w", "--noflush"), script) != null;
    }

    private static String run(List<String> cmd, String stdin) {
        // The child's PATH gets the sbin directories (iptables, ip) after the caller's own.
        String path = System.getenv().getOrDefault("PATH", "");
        try {
            Subprocess s = Subprocess.of(cmd)
                    .environment(Map.of("PATH", path + (path.isEmpty() ? "" : ":") + "/usr/sbin:/sbin:/usr/bin:/bin"))
                    .mergeStderr()
                    .timeoutMillis(30_000);
            if (stdin != null) {
                s.stdin(stdin.getBytes(StandardCharsets.UTF_8));
            }
            Subprocess.Result r = s.run();
            return r.ok() ? r.stdout() : null;
        } catch (Subprocess.Failed e) {
            return null;
        }
    }
}
