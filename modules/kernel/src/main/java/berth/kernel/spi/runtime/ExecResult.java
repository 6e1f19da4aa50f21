package berth.kernel.spi.runtime;

/** An exec session's outcome: its PID and, unless detached, its exit code (-1 while running). */
public record ExecResult(String sessionId, int pid, int exitCode) {
}
