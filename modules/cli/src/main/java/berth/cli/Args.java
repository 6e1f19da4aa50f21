package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed arguments: flags by key (the long name without dashes) and positionals. The parser is
 * small on purpose: the CLI is a short-lived process and every class it loads costs start-up time
 * (picocli's Java 5 bytecode cannot be put in a CDS/AOT archive: ~100 ms per command, measured).
 */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    static Args parse(Cmd cmd, List<String> argv, String context) {
        Args a = new Args();
        boolean onlyPositional = false;
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (onlyPositional || !s.startsWith("-") || s.equals("-")) {
                a.positional.add(s);
                if (cmd.stopAtPositional()) {
                    onlyPositional = true;
                }
                continue;
            }
            if (s.equals("--")) {
                onlyPositional = true;
                continue;
            }
            if (s.startsWith("--")) {
                String name = s;
                String value = null;
                int eq = s.indexOf('=');
                if (eq > 0) {
                    name = s.substring(0, eq);
                    value = s.substring(eq + 1);
                }
                Opt o = find(cmd, name, context);
                if (o.takesValue()) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw usage(context, "flag needs an argument: " + name);
                        }
                        value = argv.get(++i);
                    }
                    a.add(o.key(), value);
                } else {
                    if (value != null && !value.equals("true") && !value.equals("false")) {
                        throw usage(context, "flag " + name + " takes no value");
                    }
                    a.add(o.key(), value == null ? "true" : value);
                }
                continue;
            }
            // short flags: -abc, or -p8080:80 / -p 8080:80 for the last one taking a value
            for (int j = 1; j < s.length(); j++) {
                Opt o = find(cmd, "-" + s.charAt(j), context);
                if (o.takesValue()) {
                    String value = s.substring(j + 1);
                    if (value.isEmpty()) {
                        if (i + 1 >= argv.size()) {
                            throw usage(context, "flag needs an argument: -" + s.charAt(j));
                        }
                        value = argv.get(++i);
                    }
                    a.add(o.key(), value);
                    break;
                }
                a.add(o.key(), "true");
            }
        }
        if (a.positional.size() < cmd.minArgs() && !a.has("help")) {
            throw usage(context, "\"" + context + "\" requires at least " + cmd.minArgs() + " argument" + (cmd.minArgs() == 1 ? "" : "s"));
        }
        return a;
    }

    private static Opt find(Cmd cmd, String name, String context) {
        for (Opt o : cmd.opts()) {
            if (o.names().contains(name)) {
                return o;
            }
        }
        throw usage(context, "unknown flag: " + name);
    }

    static BerthException usage(String context, String msg) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, msg + "\nSee '" + context + " --help'");
    }

    private void add(String key, String v) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }

    boolean has(String key) {
        List<String> v = values.get(key);
        return v != null && !v.get(v.size() - 1).equals("false");
    }

    String get(String key) {
        List<String> v = values.get(key);
        return v == null ? null : v.get(v.size() - 1);
    }

    String get(String key, String dflt) {
        String v = get(key);
        return v == null ? dflt : v;
    }

    Integer integer(String key, String context) {
        String v = get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw usage(context, "invalid value \"" + v + "\" for --" + key + ": expected a whole number");
        }
    }

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    List<String> positional() {
        return positional;
    }
}
