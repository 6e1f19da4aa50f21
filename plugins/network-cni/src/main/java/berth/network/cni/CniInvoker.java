package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes one CNI plugin binary the way the CNI specification says a runtime does: the operation and
 * its parameters in {@code CNI_*} environment variables, the network configuration as JSON on stdin,
 * the result (or a {@code {code,msg,details}} error) as JSON on stdout.
 */
final class CniInvoker {
    /** Where podman and the Debian/Fedora packages put CNI plugins, in podman's search order. */
    static final List<String> DEFAULT_DIRS = List.of("/usr/local/libexec/cni", "/usr/libexec/cni",
            "/usr/local/lib/cni", "/usr/lib/cni", "/opt/cni/bin");

    private final List<Path> dirs;
    private final long timeoutMillis;

    /** The parameters of one invocation, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS. */
    record Call(String containerId, String netns, String ifName, String args) {
    }

    CniInvoker(List<String> pluginDirs, long timeoutMillis) {
        List<Path> d = new ArrayList<>();
        for (String s : pluginDirs.isEmpty() ? DEFAULT_DIRS : pluginDirs) {
            if (s != null && !s.isBlank()) {
                d.add(Path.of(s.trim()));
            }
        }
        this.dirs = List.copyOf(d);
        this.timeoutMillis = timeoutMillis;
    }

    List<Path> dirs() {
        return dirs;
    }

    /** The plugin's executable, or an error naming the plugin and every directory searched. */
    Path find(String type, String network) {
        if (type == null || type.isEmpty() || type.contains("/") || type.startsWith(".")) {
            throw new BerthException(ErrorCode.CONFIG_INVALID,
                    "network \"" + network + "\": invalid CNI plugin type \"" + type + "\"");
        }
        for (Path d : dirs) {
            Path p = d.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "CNI plugin \"" + type + "\" (needed by network \"" + network
                + "\") not found: searched " + dirs + "; install containernetworking-plugins or set the CNI plugin directories");
    }

    /** VERSION: the spec versions the plugin supports. */
    List<String> supportedVersions(String type, String network) {
        Object out = start(type, "VERSION", new Call("", "", "", ""), network).finishRaw(Map.of("cniVersion", "1.0.0"));
        if (out instanceof Map) {
            @SuppressWarnings("unchecked")
            JsonObject o = new JsonObject((Map<String, Object>) out);
            return o.strings("supportedVersions");
        }
        return List.of();
    }

    /**
     * Runs ADD, DEL or CHECK. Returns the parsed result object (ADD), or null when the plugin printed
     * nothing (DEL, CHECK). A failure is a {@link BerthException} carrying the plugin's message.
     */
    Map<String, Object> invoke(String type, String command, Call call, Map<String, Object> config, String network) {
        return start(type, command, call, network).finish(config);
    }

    /**
     * Starts the plugin for one call before its configuration is known: a plugin reads all of stdin
     * before it acts (skel.PluginMain), so until {@link Started#finish} it has done nothing but start,
     * and a chain starts its next plugin while the one before it works. {@link Started#cancel()}
     * stops one that is not needed after all.
     */
    Started start(String type, String command, Call call, String network) {
        return new Started(type, command, network, call.ifName(), launch(find(type, network), command, call,
                what(type, command, network, call.ifName())));
    }

    /** One plugin call, started and waiting for its stdin. */
    final class Started {
        private final String type;
        private final String command;
        private final String network;
        private final String what;
        private final Subprocess.Started process;

        private Started(String type, String command, String network, String ifName, Subprocess.Started process) {
            this.type = type;
            this.command = command;
            this.network = network;
            this.what = what(type, command, network, ifName);
            this.process = process;
        }

        /** Gives the plugin its configuration and waits for its result: as {@link #invoke}. */
        @SuppressWarnings("unchecked")
        Map<String, Object> finish(Map<String, Object> config) {
            Object out = finishRaw(config);
            if (berth.kernel.trace.Trace.on()) { // no string building on the hot path when not tracing
                berth.kernel.trace.Trace.mark("cni: " + type + " " + command + " (" + network + ")");
            }
            if (out == null) {
                return null;
            }
            if (!(out instanceof Map)) {
                throw new BerthException(ErrorCode.NETWORK_ERROR, "CNI plugin \"" + type + "\" (" + command + ", network \""
                        + network + "\") printed a result that is not a JSON object");
            }
            return (Map<String, Object>) out;
        }

        /** The plugin's parsed stdout, whatever its shape (VERSION's is an object too, but not a result). */
        Object finishRaw(Map<String, Object> config) {
            try {
                return result(what, process.finish(Json.writeBytes(config)));
            } catch (Subprocess.Failed e) {
                throw failure(what, e);
            }
        }

        /** The plugin is not needed: it is killed before it read a byte, so it did nothing. */
        void cancel() {
            process.cancel();
        }
    }

    private static String what(String type, String command, String network, String ifName) {
        return "CNI plugin \"" + type + "\" (" + command + ", network \"" + network + "\", interface " + ifName + ")";
    }

    private Subprocess.Started launch(Path exe, String command, Call call, String what) {
        // The child gets this process's environment without any CNI_* variable of ours, then the call's.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("CNI_"));
        String path = env.getOrDefault("PATH", "");
        for (String p : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (!(":" + path + ":").contains(":" + p + ":")) {
                path = path.isEmpty() ? p : path + ":" + p;
            }
        }
        env.put("PATH", path);
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netns() == null ? "" : call.netns());
        env.put("CNI_IFNAME", call.ifName());
        env.put("CNI_ARGS", call.args() == null ? "" : call.args());
        StringBuilder cniPath = new StringBuilder();
        for (Path d : dirs) {
            cniPath.append(cniPath.length() == 0 ? "" : ":").append(d);
        }
        env.put("CNI_PATH", cniPath.toString());
        try {
            return Subprocess.of(exe.toString())
                    .clearEnvironment()
                    .environment(env)
                    .timeoutMillis(timeoutMillis)
                    .drainAfterExitMillis(5000)
                    .start();
        } catch (Subprocess.Failed e) {
            throw failure(what, e);
        }
    }

    private BerthException failure(String what, Subprocess.Failed e) {
        String why = switch (e.kind()) {
            case START -> " could not be started: " + e.detail();
            case TIMEOUT -> " did not finish within " + timeoutMillis + " ms";
            default -> " interrupted";
        };
        return new BerthException(ErrorCode.NETWORK_ERROR, what + why, e);
    }

    /** The plugin's parsed stdout (null when empty), or its failure as one error. */
    private static Object result(String what, Subprocess.Result r) {
        int rc = r.exitCode();
        String out = r.stdout().trim();
        String err = r.stderr().trim();
        if (rc != 0) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, what + " failed: " + describeError(out, err, rc));
        }
        if (out.isEmpty()) {
            return null;
        }
        try {
            return Json.parse(out);
        } catch (Json.MalformedJsonException e) {
            throw new BerthException(ErrorCode.NETWORK_ERROR, what + " printed invalid JSON (" + e.getMessage() + "): "
                    + abbreviate(out), e);
        }
    }

    /** The plugin's {code, msg, details} error as one sentence; falls back to stderr and the exit status. */
    static String describeError(String stdout, String stderr, int rc) {
        StringBuilder sb = new StringBuilder();
        try {
            JsonObject e = Json.parseObject(stdout);
            String msg = e.str("msg", "");
            String details = e.str("details", "");
            sb.append(msg.isEmpty() ? "(no message)" : msg);
            if (!details.isEmpty() && !details.equals(msg)) {
                sb.append(": ").append(details);
            }
            sb.append(" (CNI error code ").append(e.lng("code", -1)).append(')');
        } catch (Json.MalformedJsonException | RuntimeException ex) {
            sb.append("exit status ").append(rc);
            if (!stdout.isEmpty()) {
                sb.append(", output: ").append(abbreviate(stdout));
            }
        }
        if (!stderr.isEmpty()) {
            sb.append("; stderr: ").append(abbreviate(stderr));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 2000 ? one.substring(0, 2000) + "..." : one;
    }
}
