package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.spi.hook.HookContext;
import berth.kernel.spi.hook.HookInvocation;
import berth.kernel.spi.hook.HookProvider;
import berth.kernel.spi.hook.HookSet;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Merges the hooks of every hook provider for a container, and calls the in-process ones at their
 * stage. Within one command the hooks chosen at init serve start and cleanup too (one read of the
 * hook directories).
 */
public final class Hooks {
    private final Supplier<List<HookProvider>> providers;
    private final Consumer<String> warnings;
    private final Map<String, ContainerHooks> chosen = new ConcurrentHashMap<>();

    public Hooks(Supplier<List<HookProvider>> providers, Consumer<String> warnings) {
        this.providers = providers;
        this.warnings = warnings;
    }

    /**
     * Asks every hook provider for the hooks of {@code c}. With {@code report} (at init, where the
     * hooks are chosen) the providers' warnings are shown and a provider that throws fails the start;
     * later (start, cleanup) it is a warning and its hooks are skipped.
     */
    public ContainerHooks hooksFor(ContainerConfig c, boolean report) {
        if (!report) {
            ContainerHooks known = chosen.get(c.id());
            if (known != null) {
                return known;
            }
        }
        ContainerHooks resolved = merge(c, report);
        chosen.put(c.id(), resolved);
        return resolved;
    }

    private ContainerHooks merge(ContainerConfig c, boolean report) {
        List<HookProvider> all = providers.get();
        if (all.isEmpty()) {
            return ContainerHooks.NONE;
        }
        List<Path> dirs = new ArrayList<>();
        c.hooksDirs().forEach(d -> dirs.add(Path.of(d)));
        HookContext context = new HookContext(c, dirs);
        List<SpecHook> spec = new ArrayList<>();
        List<String> specProviders = new ArrayList<>();
        List<ContainerHooks.ProvidedHook> inProc = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (HookProvider p : all) {
            HookSet s;
            try {
                s = p.hooksFor(context);
            } catch (RuntimeException e) {
                String msg = "hook provider " + p.id() + " failed for container " + c.name() + ": " + e;
                if (report) {
                    throw new BerthException(ErrorCode.HOOK_FAILED, msg, e);
                }
                warnings.accept(msg + "; its hooks are skipped");
                continue;
            }
            if (s == null) {
                continue;
            }
            for (SpecHook h : s.specHooks()) {
                spec.add(h);
                specProviders.add(p.id());
            }
            s.inProcess().forEach(h -> inProc.add(new ContainerHooks.ProvidedHook(p.id(), h)));
            problems.addAll(s.warnings());
        }
        if (report) {
            problems.forEach(warnings);
        }
        return new ContainerHooks(spec, inProc, applied(spec, specProviders, inProc), problems);
    }

    /** What inspect shows: each hook as "stage: hook (provider)", in stage order, spec hooks first within a stage. */
    static List<String> applied(List<SpecHook> spec, List<String> specProviders, List<ContainerHooks.ProvidedHook> inProc) {
        List<String> applied = new ArrayList<>();
        for (HookStage st : HookStage.values()) {
            for (int i = 0; i < spec.size(); i++) {
                SpecHook h = spec.get(i);
                if (h.stage() == st) {
                    applied.add(st.specName() + ": " + (h.source() == null || h.source().isEmpty() ? h.path() : h.source())
                            + " (" + specProviders.get(i) + ")");
                }
            }
            for (ContainerHooks.ProvidedHook h : inProc) {
                if (h.hook().stages().contains(st)) {
                    applied.add(st.specName() + ": " + h.label());
                }
            }
        }
        return applied;
    }

    /**
     * Calls the in-process hooks of {@code stage}, in order. Up to startContainer a failure fails the
     * stage (the container does not start) and the error names the hook; at poststart and poststop,
     * as the runtime spec says, a failure is a warning and the other hooks still run.
     */
    public void run(ContainerHooks hooks, HookStage stage, Container c, Path bundleDir, int pid, int exitCode) {
        boolean fatal = stage.compareTo(HookStage.START_CONTAINER) <= 0;
        for (ContainerHooks.ProvidedHook ph : hooks.inProcess()) {
            InProcessHook h = ph.hook();
            if (!h.stages().contains(stage)) {
                continue;
            }
            try {
                h.run(new HookInvocation(stage, c.config(), bundleDir, pid, exitCode, ociStatus(stage)));
            } catch (Exception e) {
                String msg = stage.specName() + " hook " + ph.label() + " failed for container " + c.name() + ": "
                        + (e.getMessage() == null ? e.toString() : e.getMessage());
                if (fatal) {
                    throw new BerthException(ErrorCode.HOOK_FAILED, msg, e);
                }
                warnings.accept(msg);
            }
        }
    }

    /** The OCI state's status at each stage, as the runtime spec gives it to hooks. */
    static String ociStatus(HookStage stage) {
        return switch (stage) {
            case PRESTART, CREATE_RUNTIME -> "creating";
            case CREATE_CONTAINER, START_CONTAINER -> "created";
            case POSTSTART -> "running";
            case POSTSTOP -> "stopped";
        };
    }
}
