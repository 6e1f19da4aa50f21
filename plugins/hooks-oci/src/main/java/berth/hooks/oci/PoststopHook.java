package berth.hooks.oci;

import berth.kernel.json.Json;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** A config.json is a few kilobytes; this bounds what reading a damaged bundle can cost. */
    static final long MAX_SPEC_BYTES = 16L << 20;

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
     * "pid":0,"bundle":..,"annotations":{..}}}. The annotations are those of the bundle's config.json,
     * as the runtime gives its hooks (the container's own plus those the engine adds), or the
     * container's own when config.json cannot be read.
     */
    static byte[] stateJson(HookInvocation invocation) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("ociVersion", OCI_VERSION);
        state.put("id", invocation.config().id());
        state.put("status", "stopped");
        state.put("pid", 0);
        state.put("bundle", invocation.bundleDir() == null ? "" : invocation.bundleDir().toString());
        Map<String, Object> annotations = new TreeMap<>(invocation.config().annotations());
        annotations.putAll(specAnnotations(invocation.bundleDir()));
        state.put("annotations", annotations);
        return Json.writeBytes(state);
    }

    /** The string annotations of {@code bundle/config.json}; none when it is missing or unreadable. */
    static Map<String, Object> specAnnotations(Path bundle) {
        if (bundle == null) {
            return Map.of();
        }
        Path spec = bundle.resolve("config.json");
        try {
            if (!Files.isRegularFile(spec) || Files.size(spec) > MAX_SPEC_BYTES) {
                return Map.of();
            }
            Object doc = Json.parse(Files.readAllBytes(spec));
            if (!(doc instanceof Map<?, ?> m) || !(m.get("annotations") instanceof Map<?, ?> a)) {
                return Map.of();
            }
            Map<String, Object> out = new TreeMap<>();
            a.forEach((k, v) -> {
                if (k instanceof String && v instanceof String) {
                    out.put((String) k, v);
                }
            });
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of(); // the container's own annotations are then all there is
        }
    }

    @Override
    public String toString() {
        return "poststop hook " + hook.path() + " from " + hook.source();
    }
}
