package berth.engine.internal;

import berth.engine.events.InputTime;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code system prune --filter}, as podman's prune filters: every {@code label=K[=V]} must match, no
 * {@code label!=K[=V]} may, and {@code until=TIME} keeps what was created at or after TIME. Something
 * that carries no labels (a network here) matches no label filter, so a label filter spares it.
 */
record PruneFilters(List<String> labels, List<String> notLabels, Instant until) {
    static final PruneFilters NONE = new PruneFilters(List.of(), List.of(), null);

    static PruneFilters parse(List<String> filters, Instant now) {
        List<String> labels = new ArrayList<>();
        List<String> notLabels = new ArrayList<>();
        Instant until = null;
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid filter \"" + f + "\": expected KEY=VALUE");
            }
            String key = f.substring(0, eq);
            String value = f.substring(eq + 1);
            switch (key) {
                case "label" -> labels.add(value);
                case "label!" -> notLabels.add(value);
                case "until" -> {
                    try {
                        until = InputTime.parse(value, false, now);
                    } catch (IllegalArgumentException e) {
                        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid until filter \"" + value + "\": " + e.getMessage());
                    }
                }
                default -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, key + " is an invalid filter");
            }
        }
        return new PruneFilters(List.copyOf(labels), List.copyOf(notLabels), until);
    }

    boolean isEmpty() {
        return labels.isEmpty() && notLabels.isEmpty() && until == null;
    }

    /** Whether something with these labels (null: it has none) and creation time (null: unknown) may be pruned. */
    boolean matches(Map<String, String> carried, Instant created) {
        if (until != null && created != null && !created.isBefore(until)) {
            return false;
        }
        if (carried == null) {
            return labels.isEmpty();
        }
        return labels.stream().allMatch(l -> has(carried, l)) && notLabels.stream().noneMatch(l -> has(carried, l));
    }

    private static boolean has(Map<String, String> carried, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? carried.containsKey(filter) : filter.substring(eq + 1).equals(carried.get(filter.substring(0, eq)));
    }
}
