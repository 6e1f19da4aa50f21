package berth.hooks.oci;

import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Turns the hook files in force into the hooks of one container. */
final class HookSelection {
    private HookSelection() {
    }

    /**
     * Loads the hooks directories of {@code context} and returns the matching hooks: SpecHooks
     * (grouped by stage, file order within a stage) for every stage but poststop, and one
     * {@link PoststopHook} per matching poststop entry, in file order; every problem found is in the
     * set's {@link HookSet#warnings()} and, when {@code warnings} is not null, also given to it.
     */
    static HookSet select(HookContext context, Consumer<String> warnings) {
        HookCatalog.Loaded loaded = HookCatalog.load(context.hooksDirs());
        List<String> problems = new ArrayList<>();
        for (HookProblem p : loaded.problems()) {
            problems.add(p.toString());
            if (warnings != null) {
                warnings.accept(p.toString());
            }
        }
        List<SpecHook> spec = new ArrayList<>();
        List<InProcessHook> inProcess = new ArrayList<>();
        for (HookDefinition def : loaded.hooks()) {
            if (!def.when().matches(context.config())) {
                continue;
            }
            for (HookStage stage : def.stages()) {
                if (stage == HookStage.POSTSTOP) {
                    inProcess.add(new PoststopHook(def.toSpecHook(stage)));
                } else {
                    spec.add(def.toSpecHook(stage));
                }
            }
        }
        spec.sort((a, b) -> a.stage().compareTo(b.stage())); // stable: file order is kept within a stage
        return new HookSet(spec, inProcess, problems);
    }
}
