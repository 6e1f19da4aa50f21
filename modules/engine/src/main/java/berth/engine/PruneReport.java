package berth.engine;

import java.util.List;

/**
 * What {@code system prune} or {@code system reset} removed (image ids: the dangling images prune took), and what it could not (each error names
 * the container or network and the cause).
 */
public record PruneReport(List<String> containers, List<String> networks, List<String> images, List<String> errors) {
    public PruneReport {
        containers = List.copyOf(containers);
        images = List.copyOf(images);
        networks = List.copyOf(networks);
        errors = List.copyOf(errors);
    }
}
