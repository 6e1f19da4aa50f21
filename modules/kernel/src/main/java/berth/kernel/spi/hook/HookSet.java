package berth.kernel.spi.hook;

import java.util.List;

/**
 * The hooks a provider contributes to one container.
 *
 * @param specHooks hooks for the runtime to run, written into config.json
 * @param inProcess hooks the engine calls itself
 * @param warnings problems met while choosing them that did not stop the others from applying (say
 *     a hook file that is not valid and was skipped), one message per problem, naming the file or
 *     hook; the engine shows them to the user as warnings
 */
public record HookSet(List<SpecHook> specHooks, List<InProcessHook> inProcess, List<String> warnings) {
    public static final HookSet EMPTY = new HookSet(List.of(), List.of());

    public HookSet {
        specHooks = List.copyOf(specHooks);
        inProcess = List.copyOf(inProcess);
        warnings = List.copyOf(warnings);
    }

    /** Hooks without warnings. */
    public HookSet(List<SpecHook> specHooks, List<InProcessHook> inProcess) {
        this(specHooks, inProcess, List.of());
    }
}
