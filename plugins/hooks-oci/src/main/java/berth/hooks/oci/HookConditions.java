package berth.hooks.oci;

import berth.kernel.model.ContainerConfig;
import berth.kernel.model.MountSpec;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;

/**
 * A hook file's compiled {@code when}. The schema (oci-hooks(5), 1.0.0): "If <em>all</em> of the
 * conditions set in {@code when} match, then the hook must be injected". The evaluation follows
 * podman's {@code When.Match}: an unset condition is ignored; {@code always: false} and
 * {@code hasBindMounts: false} never match; a {@code when} with no condition set matches nothing.
 * Regular expressions are searched for, not anchored, as Go's {@code regexp.MatchString} does.
 *
 * @param always the {@code always} condition, or null when unset
 * @param hasBindMounts the {@code hasBindMounts} condition, or null when unset
 * @param annotations the {@code annotations} pairs (empty when unset)
 * @param commands the {@code commands} patterns (empty when unset)
 */
record HookConditions(Boolean always, Boolean hasBindMounts, List<AnnotationRule> annotations, List<Pattern> commands) {

    /** One {@code annotations} entry: some annotation must have a key matching {@code key} and a value matching {@code value}. */
    record AnnotationRule(Pattern key, Pattern value) {
        boolean matchesAny(Map<String, String> annotations) {
            for (Map.Entry<String, String> a : annotations.entrySet()) {
                if (key.matcher(a.getKey()).find() && value.matcher(a.getValue()).find()) {
                    return true;
                }
            }
            return false;
        }
    }

    HookConditions {
        annotations = List.copyOf(annotations);
        commands = List.copyOf(commands);
    }

    /** True when at least one condition is set; a {@code when} without one is rejected at load time. */
    boolean anySet() {
        return always != null || hasBindMounts != null || !annotations.isEmpty() || !commands.isEmpty();
    }

    boolean matches(ContainerConfig config) {
        int matched = 0;
        if (always != null) {
            if (!always) {
                return false;
            }
            matched++;
        }
        if (hasBindMounts != null) {
            if (!hasBindMounts || !hasBindMounts(config)) {
                return false;
            }
            matched++;
        }
        for (AnnotationRule rule : annotations) {
            if (!rule.matchesAny(config.annotations())) {
                return false;
            }
            matched++;
        }
        if (!commands.isEmpty()) {
            if (config.command().isEmpty()) {
                return false;
            }
            String command = config.command().get(0);
            for (Pattern p : commands) {
                if (p.matcher(command).find()) {
                    return true;
                }
            }
            return false;
        }
        return matched > 0;
    }

    /** Podman asks whether the user gave volumes ({@code -v}); berth's are the mounts of type {@code bind}. */
    static boolean hasBindMounts(ContainerConfig config) {
        for (MountSpec m : config.mounts()) {
            if ("bind".equals(m.type())) {
                return true;
            }
        }
        return false;
    }
}
