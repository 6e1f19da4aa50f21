package berth.kernel.spi.runtime;

import java.util.List;

/** A process to run in a running container ({@code berth exec}). */
public record ExecRequest(String sessionId, List<String> command, List<String> env, String workingDir, String user,
                          boolean terminal, boolean interactive, boolean detach) {
    public ExecRequest {
        command = List.copyOf(command);
        env = List.copyOf(env);
    }
}
