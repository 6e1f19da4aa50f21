package berth.hooks.oci;

import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.SpecHook;
import java.nio.file.Path;
import java.util.List;

/**
 * One valid hook file.
 *
 * @param fileName the file's name, which orders hooks and lets a later directory mask an earlier one
 * @param source the file's path
 * @param path {@code hook.path}, absolute
 * @param args {@code hook.args}; args[0], when present, is the hook's argv0
 * @param env {@code hook.env}, {@code KEY=VALUE} entries
 * @param timeoutSeconds {@code hook.timeout}, 0 when unset
 * @param when the compiled {@code when}
 * @param stages {@code stages}, in file order
 */
record HookDefinition(String fileName, Path source, String path, List<String> args, List<String> env,
                      int timeoutSeconds, HookConditions when, List<HookStage> stages) {

    HookDefinition {
        args = List.copyOf(args);
        env = List.copyOf(env);
        stages = List.copyOf(stages);
    }

    SpecHook toSpecHook(HookStage stage) {
        return new SpecHook(stage, path, args, env, timeoutSeconds, source.toString());
    }
}
