package berth.kernel.spi.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the engine needs from an OCI runtime (libpod's OCIRuntime, seed 001/003). A runtime driven
 * through conmon implements it with the support module; a shim-v2 runtime would implement it directly.
 * Every method may throw {@link berth.kernel.error.BerthException} naming the container and cause.
 */
public interface OciRuntime {
    String name();

    Path binary();

    /** The runtime's version line, e.g. "crun version 1.8.1". */
    String version();

    /** The monitor's version line (conmon), or empty. */
    String monitorVersion();

    RuntimeFeatures features();

    /** Creates the container in the runtime (not started), under its monitor. */
    Created create(RuntimeContainer container);

    void start(RuntimeContainer container);

    void kill(RuntimeContainer container, int signal, boolean all);

    /**
     * Stops the container: its stop signal, then SIGKILL after {@code timeoutSeconds}. Returns when
     * the process is gone.
     */
    void stop(RuntimeContainer container, int timeoutSeconds, boolean all);

    void delete(RuntimeContainer container);

    void pause(RuntimeContainer container);

    void resume(RuntimeContainer container);

    /**
     * Attaches the streams to the running container's monitor. {@code onAttached} runs once the
     * attachment is made (so {@code run} can start the container without losing output).
     */
    AttachResult attach(RuntimeContainer container, AttachStreams streams, Runnable onAttached);

    /** Runs a process in the container and, unless detached, waits for its exit code. */
    ExecResult exec(RuntimeContainer container, ExecRequest request, AttachStreams streams);

    void resizeTerminal(RuntimeContainer container, int height, int width);

    void reopenLog(RuntimeContainer container);

    /** The exit status, once the monitor has written it. */
    Optional<ExitStatus> exitStatus(RuntimeContainer container);

    /** Removes the exit and OOM files so a restarted container is not taken for exited. */
    void clearExitStatus(RuntimeContainer container);

    boolean monitorAlive(RuntimeContainer container);

    /**
     * Loads what the runtime will need (native code, say) ahead of use. The engine may call it on a
     * background thread while it does other work, so it must be safe to call concurrently and more
     * than once.
     */
    default void prepare() {
    }

    /** The runtime's own view of the container's status ("running", "stopped"...), if it knows it. */
    Optional<String> runtimeState(RuntimeContainer container);
}
