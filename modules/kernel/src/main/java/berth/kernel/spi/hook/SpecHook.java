package berth.kernel.spi.hook;

import java.util.List;

/**
 * A hook the runtime runs, placed in config.json's {@code hooks} (or run by the engine itself for
 * poststop, with the state JSON on stdin).
 *
 * @param source where it came from (a hook file path), shown by {@code inspect}
 * @param timeoutSeconds 0 for none
 */
public record SpecHook(HookStage stage, String path, List<String> args, List<String> env, int timeoutSeconds, String source) {
    public SpecHook {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }
}
