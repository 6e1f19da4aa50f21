package berth.hooks.oci;

import berth.kernel.json.Json;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code poststop} OCI hook, which berth runs itself after the runtime has deleted the container
 * (the runtime spec wants poststop hooks run after delete; podman's {@code postDeleteHooks} does it
 * the same way). It runs the hook process with the container's OCI state on stdin.
 */
final class PoststopHook implements InProcessHook {
    /** The runtime-spec version the state document claims. */
    static final String OCI_VERSION = "1.0.2";

    private final SpecHook hook;

    PoststopHook(SpecHook hook) {
        if (hook.stage() != HookStage.POSTSTOP) {
            throw new IllegalArgumentException("not a poststop hook: " + hook);
        }
        this.hook = hook;
    }

    /** The hook file it came from, e.g. {@code /etc/containers/oci/hooks.d/50-log.json}. */
    @Override
    public String name() {
        return hook.source();
    }

    @Override
    public Set<HookStage> stages() {
        return Set.of(HookStage.POSTSTOP);
    }

    SpecHook specHook() {
        return hook;
    }

    /**
     * Runs the hook with the state on stdin.
     *
     * @throws berth.kernel.error.BerthException ({@code HOOK_FAILED}) when it cannot start, exits
     *     non-zero or outlives its timeout
     */
    @Override
    public void run(HookInvocation invocation) {
        if (invocation.stage() != HookStage.POSTSTOP) {
            return;
        }
        HookRunner.run(hook, stateJson(invocation));
    }

    /**
     * The OCI state of a deleted container: {@code {"ociVersion":"1.0.2","id":..,"status":"stopped",
     * "pid":0,"bundle":..,"annotations":{..}}}.
     */
    static byte[] stateJson(HookInvocation invocation) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("ociVersion", OCI_VERSION);
        state.put("id", invocation.config().id());
        state.put("status", "stopped");
        state.put("pid", 0);
        state.put("bundle", invocation.bundleDir() == null ? "" : invocation.bundleDir().toString());
        state.put("annotations", new TreeMap<>(invocation.config().annotations()));
        return Json.writeBytes(state);
    }

    @Override
    public String toString() {
        return "poststop hook " + hook.path() + " from " + hook.source();
    }
}
