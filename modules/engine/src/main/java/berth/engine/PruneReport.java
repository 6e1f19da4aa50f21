package berth.engine;

import java.util.List;

/**
 * What {@code system prune} or {@code system reset} removed, and what it could not (each error names
 * the container or network and the cause).
 */
public record PruneReport(List<String> containers, List<String> networks, List<String> errors) {
    public PruneReport {
        containers = List.copyOf(containers);
        networks = List.copyOf(networks);
        errors = List.copyOf(errors);
    }
}
