package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.CapabilityNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --cap-add} and {@code --cap-drop} applied to a base set, with containers/common's rules:
 * names in any case, with or without {@code CAP_}; {@code ALL} dropped leaves only what is added,
 * {@code ALL} added means berth's whole bounding set less what is dropped; one capability both
 * added and dropped is an error. The result is sorted, as podman lists it.
 */
final class CapabilitySets {
    static final String ALL = "ALL";

    private CapabilitySets() {
    }

    /** {@code net_admin} → {@code CAP_NET_ADMIN}; {@code all} → {@code ALL}; an unknown name is podman's error. */
    static String canonical(String name) {
        if (name.strip().equalsIgnoreCase(ALL)) {
            return ALL;
        }
        String n = CapabilityNames.normal(name);
        if (!Privileged.knows(n)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "\"" + n + "\": unknown capability");
        }
        return n;
    }

    static List<String> canonical(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(canonical(n));
        }
        return List.copyOf(out);
    }

    /** {@code base} with {@code add} and {@code drop} (canonical names) applied; {@code all}: what ALL grants. */
    static List<String> merge(List<String> base, List<String> add, List<String> drop, List<String> all) {
        if (add.isEmpty() && drop.isEmpty()) {
            return base;
        }
        if (drop.contains(ALL)) {
            if (add.contains(ALL)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "adding all caps and removing all caps not allowed");
            }
            return sorted(add);
        }
        List<String> from = base;
        List<String> adds = add;
        if (add.contains(ALL)) {
            from = all;
            adds = List.of();
        }
        for (String c : drop) {
            if (adds.contains(c)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "capability \"" + c + "\" cannot be dropped and added");
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String c : from) {
            if (!drop.contains(c)) {
                out.add(c);
            }
        }
        out.addAll(adds);
        return sorted(out);
    }

    /**
     * What a process that does not run as root keeps (podman gives it exactly the added capabilities
     * as its effective, permitted, inheritable and ambient sets); ALL stands for the whole set.
     */
    static List<String> forNonRoot(List<String> added, List<String> capabilities) {
        if (added.contains(ALL)) {
            return capabilities;
        }
        List<String> out = new ArrayList<>();
        for (String c : added) {
            if (capabilities.contains(c)) {
                out.add(c);
            }
        }
        return sorted(out);
    }

    private static List<String> sorted(java.util.Collection<String> caps) {
        List<String> out = new ArrayList<>(caps);
        out.sort(null);
        return List.copyOf(out);
    }
}
