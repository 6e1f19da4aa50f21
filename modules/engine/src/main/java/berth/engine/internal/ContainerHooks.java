package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.spi.hook.HookStage;
import berth.kernel.spi.hook.InProcessHook;
import berth.kernel.spi.hook.SpecHook;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hooks of one container from every hook provider: spec hooks for config.json, in-process hooks
 * for the engine to call, what {@code inspect} shows of them ({@code "stage: hook (provider)"} in
 * stage order) and the problems the providers reported.
 */
public record ContainerHooks(List<SpecHook> spec, List<ProvidedHook> inProcess, List<String> applied, List<String> warnings) {
    public static final ContainerHooks NONE = new ContainerHooks(List.of(), List.of(), List.of(), List.of());
    private static final Pattern HOOK_INDEX = Pattern.compile("hook #(\\d+)");

    public ContainerHooks {
        spec = List.copyOf(spec);
        inProcess = List.copyOf(inProcess);
        applied = List.copyOf(applied);
        warnings = List.copyOf(warnings);
    }

    /** No hook at all: nothing runs inside the create and start but the runtime's own work. */
    public boolean none() {
        return spec.isEmpty() && inProcess.isEmpty();
    }

    /** One in-process hook and the id of the hook provider that gave it. */
    public record ProvidedHook(String provider, InProcessHook hook) {
        String label() {
            return hook.name() + " (" + provider + ")";
        }
    }

    /**
     * A runtime create that failed in one of the hooks it runs: the error names the hook and the file
     * it came from (runc says only "error running hook #0"; crun names the path, not the file).
     */
    public BerthException explain(BerthException e) {
        String msg = String.valueOf(e.getMessage());
        List<SpecHook> early = new ArrayList<>();
        for (SpecHook h : spec) {
            if (h.stage().compareTo(HookStage.CREATE_CONTAINER) <= 0) {
                early.add(h);
            }
        }
        List<SpecHook> named = new ArrayList<>();
        for (SpecHook h : early) {
            if (msg.contains(h.path()) && !named.contains(h)) {
                named.add(h);
            }
        }
        if (named.isEmpty() && !msg.toLowerCase(Locale.ROOT).contains("hook")) {
            return e;
        }
        Matcher m = HOOK_INDEX.matcher(msg);
        if (named.isEmpty() && m.find()) {
            int index = Integer.parseInt(m.group(1));
            for (HookStage st : HookStage.values()) {
                List<SpecHook> of = early.stream().filter(h -> h.stage() == st).toList();
                if (index < of.size()) {
                    named.add(of.get(index));
                }
            }
        }
        if (named.isEmpty()) {
            named = early;
        }
        if (named.isEmpty()) {
            return e;
        }
        List<String> names = new ArrayList<>();
        for (SpecHook h : named) {
            names.add(h.stage().specName() + " hook " + h.path()
                    + (h.source() == null || h.source().isEmpty() ? "" : " from " + h.source()));
        }
        String detail = msg.endsWith(": " + e.code().text()) ? msg.substring(0, msg.length() - e.code().text().length() - 2) : msg;
        return new BerthException(ErrorCode.HOOK_FAILED, detail.strip() + (names.size() == 1 ? " (failing hook: " : " (the failing hook is one of: ")
                + String.join("; ", names) + ")", e);
    }
}
