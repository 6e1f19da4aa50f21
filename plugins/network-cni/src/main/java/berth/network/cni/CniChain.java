package berth.network.cni;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import berth.kernel.trace.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs one attachment's plugin chain: ADD in the conflist's order, each plugin given the previous
 * one's result; DEL in reverse order, each given the stored result. The order is the CNI
 * specification's; what overlaps is only a plugin's start-up: the next plugin to run is started
 * (exec, Go runtime) while the one before it works, and given its stdin once that one is done. A
 * plugin reads all of stdin before it acts, so it still acts strictly after its predecessor (about 5
 * ms saved per plugin on the path a user waits on).
 *
 * <p>A call that would only pass the previous result on ({@link PassThroughPlugins}) is done in
 * process, in its place in the chain.
 */
final class CniChain {
    private final CniInvoker invoker;

    CniChain(CniInvoker invoker) {
        this.invoker = invoker;
    }

    /** ADD through the chain; the attachment's result becomes the last plugin's. A failure stops the chain. */
    void add(CniNetworkBackend.Attachment a, String cid, String netns) {
        List<JsonObject> plugins = a.plugins();
        CniInvoker.Call call = new CniInvoker.Call(cid, netns, a.ifName, a.args);
        CniInvoker.Started ahead = null;
        try {
            for (int i = 0; i < plugins.size(); i++) {
                JsonObject plugin = plugins.get(i);
                String type = plugin.str("type");
                Map<String, Object> stdin = CniNetworkBackend.pluginConfig(a, plugin, a.result);
                if (PassThroughPlugins.passesThrough("ADD", stdin, a.args)) {
                    passedThrough(type, "ADD", a.network);
                    continue; // the result stays the previous one, as the plugin would print it
                }
                CniInvoker.Started now = ahead != null ? ahead : invoker.start(type, "ADD", call, a.network);
                ahead = null;
                // every plugin that runs leaves a result (or the chain stops): the next one is judged on one
                int next = nextToRun(plugins, i + 1, "ADD", a, a.result != null ? a.result : Map.of(), Set.of());
                if (next >= 0) {
                    ahead = startQuietly(plugins.get(next).str("type"), "ADD", call, a.network);
                }
                Map<String, Object> res = now.finish(stdin);
                if (res == null) {
                    throw new BerthException(ErrorCode.NETWORK_ERROR, "CNI plugin \"" + type + "\" (ADD, network \"" + a.network
                            + "\") printed no result");
                }
                a.result = res;
            }
        } finally {
            if (ahead != null) {
                ahead.cancel(); // the chain stopped before it: it never read its stdin
            }
        }
    }

    /** DEL in reverse plugin order; failures are collected, the remaining plugins still run. */
    void del(CniNetworkBackend.Attachment a, String cid, String netns, List<String> problems) {
        del(a, cid, netns, problems, Set.of(), Set::of);
    }

    /**
     * As {@link #del(CniNetworkBackend.Attachment, String, String, List)}, after {@code aheadWork}: it
     * does the whole DEL of some plugins in process ({@link RulesAhead}) and returns their types, which
     * are then not run. While it works, the first plugin that will run if it does the DEL of the types
     * in {@code expectedAhead} is started (and used in its turn if the guess was wrong). Returns the
     * types the work did.
     */
    Set<String> del(CniNetworkBackend.Attachment a, String cid, String netns, List<String> problems,
            Set<String> expectedAhead, Supplier<Set<String>> aheadWork) {
        List<JsonObject> plugins = new ArrayList<>(a.plugins());
        Collections.reverse(plugins);
        CniInvoker.Call call = new CniInvoker.Call(cid, netns, a.ifName, a.args);
        Map<Integer, CniInvoker.Started> started = new HashMap<>(); // by index, not yet given their stdin
        try {
            int first = nextToRun(plugins, 0, "DEL", a, a.result, expectedAhead);
            if (first >= 0) {
                startAhead(started, first, plugins, call, a.network);
            }
            Set<String> doneAhead = aheadWork.get();
            for (int i = 0; i < plugins.size(); i++) {
                JsonObject plugin = plugins.get(i);
                Map<String, Object> stdin = CniNetworkBackend.pluginConfig(a, plugin, a.result);
                if (skipsDel(plugin, stdin, a, doneAhead)) {
                    continue;
                }
                try {
                    CniInvoker.Started now = started.remove(i);
                    if (now == null) {
                        now = invoker.start(plugin.str("type"), "DEL", call, a.network);
                    }
                    int next = nextToRun(plugins, i + 1, "DEL", a, a.result, doneAhead);
                    if (next >= 0) {
                        startAhead(started, next, plugins, call, a.network);
                    }
                    now.finish(stdin);
                } catch (BerthException e) {
                    problems.add(e.getMessage());
                }
            }
            return doneAhead;
        } finally {
            started.values().forEach(CniInvoker.Started::cancel); // not needed after all: never given stdin
        }
    }

    /**
     * Starts the DEL plugin at {@code index} unless it is started already; one that cannot start is
     * reported when its turn comes, by starting it again then.
     */
    private void startAhead(Map<Integer, CniInvoker.Started> started, int index, List<JsonObject> plugins, CniInvoker.Call call,
            String network) {
        if (!started.containsKey(index)) {
            CniInvoker.Started s = startQuietly(plugins.get(index).str("type"), "DEL", call, network);
            if (s != null) {
                started.put(index, s);
            }
        }
    }

    private static boolean skipsDel(JsonObject plugin, Map<String, Object> stdin, CniNetworkBackend.Attachment a,
            Set<String> doneAhead) {
        if (doneAhead.contains(plugin.str("type"))) {
            if (Trace.on()) {
                Trace.mark("cni: " + plugin.str("type") + " DEL (" + a.network + ") done ahead, not run");
            }
            return true;
        }
        if (PassThroughPlugins.passesThrough("DEL", stdin, a.args)) {
            passedThrough(plugin.str("type"), "DEL", a.network);
            return true;
        }
        return false;
    }

    /** A plugin started ahead, or null when it cannot start: it is started again in its turn, which reports why. */
    private CniInvoker.Started startQuietly(String type, String command, CniInvoker.Call call, String network) {
        try {
            return invoker.start(type, command, call, network);
        } catch (BerthException e) {
            return null;
        }
    }

    /** The index of the first plugin from {@code from} on that would really run (not done ahead, not passed through), or -1. */
    private static int nextToRun(List<JsonObject> plugins, int from, String command, CniNetworkBackend.Attachment a,
            Map<String, Object> prevResult, Set<String> doneAhead) {
        for (int j = from; j < plugins.size(); j++) {
            if (doneAhead.contains(plugins.get(j).str("type"))) {
                continue;
            }
            Map<String, Object> stdin = CniNetworkBackend.pluginConfig(a, plugins.get(j), prevResult);
            if (!PassThroughPlugins.passesThrough(command, stdin, a.args)) {
                return j;
            }
        }
        return -1;
    }

    private static void passedThrough(String type, String command, String network) {
        if (Trace.on()) {
            Trace.mark("cni: " + type + " " + command + " (" + network + ") passed through, not run");
        }
    }
}
