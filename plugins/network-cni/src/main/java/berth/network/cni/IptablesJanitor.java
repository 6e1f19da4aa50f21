package berth.network.cni;

import berth.support.Subprocess;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A last sweep after CNI DEL: removes iptables rules whose comment names the container (the bridge
 * plugin's masquerade rule and the portmap plugin's DNAT jump are commented {@code id: "CONTAINERID"})
 * and the per-container chains they jump to. The plugins remove these themselves; the sweep matters
 * when they could not, e.g. the bridge plugin skips its masquerade teardown when the namespace is gone.
 */
final class IptablesJanitor {
    private static final Set<String> SHARED_CHAINS = Set.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SNAT",
            "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK", "CNI-FORWARD", "CNI-ADMIN");

    private IptablesJanitor() {
    }

    /** Returns the rules it could not delete, as messages; an absent iptables is not an error. */
    static List<String> sweep(String containerId) {
        List<String> problems = new ArrayList<>();
        for (String table : List.of("nat", "filter")) {
            String save = run(List.of("iptables-save", "-t", table));
            if (save == null) {
                continue;
            }
            String needle = "id: \\\"" + containerId + "\\\"";
            Set<String> chains = new LinkedHashSet<>();
            for (String line : save.split("\n")) {
                if (!line.startsWith("-A ") || !line.contains(needle)) {
                    continue;
                }
                List<String> tokens = tokenize(line);
                for (int i = 0; i + 1 < tokens.size(); i++) {
                    if ((tokens.get(i).equals("-j") || tokens.get(i).equals("-g")) && tokens.get(i + 1).startsWith("CNI-")
                            && !SHARED_CHAINS.contains(tokens.get(i + 1))) {
                        chains.add(tokens.get(i + 1));
                    }
                }
                List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                cmd.addAll(tokens.subList(1, tokens.size()));
                if (run(cmd) == null) {
                    problems.add("cannot delete iptables rule (table " + table + "): " + line);
                }
            }
            for (String chain : chains) {
                run(List.of("iptables", "-w", "-t", table, "-F", chain));
                run(List.of("iptables", "-w", "-t", table, "-X", chain));
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
        // The child's PATH gets the sbin directories (iptables, ip) after the caller's own.
        String path = System.getenv().getOrDefault("PATH", "");
        try {
            Subprocess.Result r = Subprocess.of(cmd)
                    .environment(Map.of("PATH", path + (path.isEmpty() ? "" : ":") + "/usr/sbin:/sbin:/usr/bin:/bin"))
                    .mergeStderr()
                    .timeoutMillis(30_000)
                    .run();
            return r.ok() ? r.stdout() : null;
        } catch (Subprocess.Failed e) {
            return null;
        }
    }
}
