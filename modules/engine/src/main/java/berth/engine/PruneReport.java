package berth.engine;

import java.util.List;

/**
 * What {@code system prune} or {@code system reset} removed (image ids: the images prune took; volume
 * names: only with {@code --volumes}), and what it could not (each error names the container, volume or
 * network and the cause).
 */
public record PruneReport(List<String> containers, List<String> volumes, List<String> networks, List<String> images, List<String> errors) {
    public PruneReport {
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
        images = List.copyOf(images);
        networks = List.copyOf(networks);
        errors = List.copyOf(errors);
    }
}
