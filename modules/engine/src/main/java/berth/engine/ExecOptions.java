package berth.engine;

import java.util.List;

/** {@code berth exec} options. */
public record ExecOptions(List<String> command, List<String> env, String workingDir, String user, boolean interactive,
                          boolean terminal, boolean detach) {
    public ExecOptions {
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
