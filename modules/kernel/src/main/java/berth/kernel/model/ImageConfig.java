package berth.kernel.model;

import java.util.List;
import java.util.Map;

/**
 * The run settings an image carries (the {@code config} object of an OCI image configuration), which
 * a container made from it starts with unless the user overrides them.
 *
 * @param user {@code USER[:GROUP]}, names or numbers; empty for the default
 * @param env {@code KEY=VALUE} entries
 * @param entrypoint the entrypoint; empty for none
 * @param cmd the default command (or arguments to the entrypoint)
 * @param workingDir empty for {@code /}
 * @param stopSignal e.g. {@code SIGTERM}; empty for the default
 * @param exposedPorts e.g. {@code 80/tcp}
 * @param volumes paths the image declares as volumes
 * @param labels the image's labels
 */
public record ImageConfig(String user, List<String> env, List<String> entrypoint, List<String> cmd, String workingDir,
                          String stopSignal, List<String> exposedPorts, List<String> volumes, Map<String, String> labels) {
    public static final ImageConfig EMPTY = new ImageConfig("", List.of(), List.of(), List.of(), "", "", List.of(), List.of(), Map.of());

    public ImageConfig {
        user = user == null ? "" : user;
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        stopSignal = stopSignal == null ? "" : stopSignal;
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
