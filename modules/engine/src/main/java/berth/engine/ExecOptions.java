package berth.engine;

import java.util.List;

/**
 * {@code berth exec} options.
 *
 * @param sessionId the session's ID (64 hex digits) when the caller names it, to resize its terminal
 *        later ({@link Engine#resizeExec}); null for a new one
 */
public record ExecOptions(List<String> command, List<String> env, String workingDir, String user, boolean interactive,
                          boolean terminal, boolean detach, String sessionId) {
    public ExecOptions {
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
    }

    public ExecOptions(List<String> command, List<String> env, String workingDir, String user, boolean interactive,
                       boolean terminal, boolean detach) {
        this(command, env, workingDir, user, interactive, terminal, detach, null);
    }
}
