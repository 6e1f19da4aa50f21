package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --change} instructions of import and commit: the Dockerfile instructions that only set
 * configuration (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL), as podman
 * accepts them.
 */
final class Changes {
    private Changes() {
    }

    static ImageConfig apply(ImageConfig base, List<String> changes) {
        String user = base.user();
        List<String> env = new ArrayList<>(base.env());
        List<String> entrypoint = base.entrypoint();
        List<String> cmd = base.cmd();
        String workdir = base.workingDir();
        String stop = base.stopSignal();
        List<String> ports = new ArrayList<>(base.exposedPorts());
        List<String> volumes = new ArrayList<>(base.volumes());
        Map<String, String> labels = new LinkedHashMap<>(base.labels());
        for (String change : changes) {
            String c = change.strip();
            int sp = indexOfSpaceOrEquals(c);
            if (sp < 0) {
                throw invalid(change);
            }
            String instr = c.substring(0, sp).toUpperCase();
            String arg = c.substring(sp + 1).strip();
            switch (instr) {
                case "CMD" -> cmd = command(arg);
                case "ENTRYPOINT" -> entrypoint = command(arg);
                case "ENV" -> {
                    int eq = arg.indexOf('=');
                    int space = arg.indexOf(' ');
                    String kv = eq > 0 && (space < 0 || eq < space) ? arg : arg.replaceFirst(" +", "=");
                    String key = kv.substring(0, kv.indexOf('=') < 0 ? kv.length() : kv.indexOf('='));
                    env.removeIf(e -> e.startsWith(key + "="));
                    env.add(kv.contains("=") ? kv : kv + "=");
                }
                case "WORKDIR" -> workdir = arg;
                case "USER" -> user = arg;
                case "STOPSIGNAL" -> stop = arg;
                case "EXPOSE" -> {
                    for (String p : arg.split("\\s+")) {
                        ports.add(p.contains("/") ? p : p + "/tcp");
                    }
                }
                case "VOLUME" -> volumes.addAll(arg.startsWith("[") ? command(arg) : List.of(arg.split("\\s+")));
                case "LABEL" -> {
                    int eq = arg.indexOf('=');
                    if (eq <= 0) {
                        throw invalid(change);
                    }
                    labels.put(unquote(arg.substring(0, eq)), unquote(arg.substring(eq + 1)));
                }
                default -> throw invalid(change);
            }
        }
        return new ImageConfig(user, env, entrypoint, cmd, workdir, stop, ports, volumes, labels);
    }

    private static int indexOfSpaceOrEquals(String c) {
        for (int i = 0; i < c.length(); i++) {
            if (c.charAt(i) == ' ' || c.charAt(i) == '=') {
                return i;
            }
        }
        return -1;
    }

    /** A JSON array (exec form), else the shell form run by /bin/sh -c. */
    private static List<String> command(String arg) {
        if (arg.startsWith("[")) {
            try {
                Object v = Json.parse(arg);
                if (v instanceof List<?> l) {
                    List<String> out = new ArrayList<>();
                    l.forEach(x -> out.add(String.valueOf(x)));
                    return out;
                }
            } catch (Json.MalformedJsonException e) {
                // not JSON: the shell form
            }
        }
        return List.of("/bin/sh", "-c", arg);
    }

    private static String unquote(String s) {
        s = s.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static BerthException invalid(String change) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid change \"" + change
                + "\": valid instructions are CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR");
    }
}
