package berth.engine;

import java.util.List;

/**
 * {@code system prune}'s options, as podman's: {@code all} removes every unused image (not only the
 * dangling ones), {@code volumes} also removes volumes no container uses, {@code filters} are
 * {@code label=K[=V]}, {@code label!=K[=V]} and {@code until=TIME} (each applied to what carries it).
 */
public record SystemPruneOptions(boolean all, boolean volumes, List<String> filters) {
    public SystemPruneOptions {
        filters = List.copyOf(filters);
    }
}
