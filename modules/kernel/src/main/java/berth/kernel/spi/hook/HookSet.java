package berth.kernel.spi.hook;

import java.util.List;

/** The hooks a provider contributes to one container. */
public record HookSet(List<SpecHook> specHooks, List<InProcessHook> inProcess) {
    public static final HookSet EMPTY = new HookSet(List.of(), List.of());

    public HookSet {
        specHooks = List.copyOf(specHooks);
        inProcess = List.copyOf(inProcess);
    }
}
