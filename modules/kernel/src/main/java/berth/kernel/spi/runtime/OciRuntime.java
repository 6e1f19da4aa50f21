package berth.kernel.spi.runtime;

import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine needs from an OCI runtime (libpod's OCIRuntime, seeds 001 and 003). A runtime with a
 * command-line interface driven through a monitor (runc, crun, runsc under conmon) implements it with
 * the OCI support module; a runtime with another protocol (kata's containerd shim v2, say) implements
 * it directly. Every method may throw {@link berth.kernel.error.BerthException} naming the container
 * and the cause. Implementations hold no per-container state between calls: everything they need
 * comes in the {@link RuntimeContainer}, so the next call may come from another berth process.
 *
 * <h2>Who reports a container's exit, and how</h2>
 * The runtime does, and only through {@link #exitReport}: once the container's init process has
 * exited, the runtime must have recorded its exit code (and whether the kernel's OOM killer ended it)
 * somewhere that outlives the berth process that started it, because that process may be gone long
 * before the container exits. The engine never waits on the process itself; it asks
 * {@link #exitReport} when a command looks at the container (and polls it while a {@code run} is
 * attached). A runtime that declares {@link RuntimeFeature#CLEANUP_COMMAND} also runs the container's
 * {@link RuntimeContainer#cleanupCommand()} once the exit is recorded, which is how restart policies
 * and {@code --rm} happen for detached containers. {@link #clearExitStatus} forgets a recorded exit
 * before the container is created again, and {@link #release} removes what the runtime kept for a
 * container that is being removed.
 */
public interface OciRuntime {
    String name();

    /** The runtime's binary (or its shim's). */
    Path binary();

    /** The runtime's version line, e.g. "crun version 1.8.1". */
    String version();

    /**
     * Versions of what the runtime drives besides itself, by component ({@code conmon: conmon version
     * 2.1.6}, a shim's), for {@code berth info}; empty if nothing.
     */
    default Map<String, String> components() {
        return Map.of();
    }

    /** What the runtime can do beyond the basics; the engine refuses what is not declared. */
    Set<RuntimeFeature> features();

    /** Creates the container in the runtime (not started); it must record its exit from now on. */
    Created create(RuntimeContainer container);

    void start(RuntimeContainer container);

    /**
     * Sends {@code signal} to the container's init process, or with {@code all} to every process of
     * it; the engine passes {@code all} only when {@link RuntimeFeature#KILL_ALL} is declared.
     */
    void kill(RuntimeContainer container, int signal, boolean all);

    /**
     * Stops the container: its stop signal, then SIGKILL after {@code timeoutSeconds}. Returns when
     * the process is gone. {@code all} as for {@link #kill}.
     */
    void stop(RuntimeContainer container, int timeoutSeconds, boolean all);

    /** Removes the container from the runtime; deleting a container that is gone is not an error. */
    void delete(RuntimeContainer container);

    /** Freezes the container; called only when {@link RuntimeFeature#PAUSE} is declared. */
    void pause(RuntimeContainer container);

    /** Thaws the container; called only when {@link RuntimeFeature#PAUSE} is declared. */
    void resume(RuntimeContainer container);

    /**
     * Attaches the streams to the running container. {@code onAttached} runs once the attachment is
     * made (so {@code run} can start the container without losing output). Returns when the
     * container's output closes or the user types the detach keys.
     */
    AttachResult attach(RuntimeContainer container, AttachStreams streams, Runnable onAttached);

    /** Runs a process in the container and, unless detached, waits for its exit code ({@link RuntimeFeature#EXEC}). */
    ExecResult exec(RuntimeContainer container, ExecRequest request, AttachStreams streams);

    /**
     * An exec session's state, from what the runtime left outside the process that started it (the
     * starter may have died), so any berth process can ask. Only with {@link RuntimeFeature#EXEC}.
     */
    default ExecReport execReport(RuntimeContainer container, String sessionId) {
        return new ExecReport.Gone();
    }

    /** Removes what the runtime kept for an exec session that has ended (or never started). Idempotent. */
    default void releaseExec(RuntimeContainer container, String sessionId) {
    }

    void resizeTerminal(RuntimeContainer container, int height, int width);

    /**
     * Resizes the terminal of a running exec session started with {@code terminal}. Fails with
     * NO_SUCH_EXEC_SESSION when the session is not (or no longer) running.
     */
    default void resizeExecTerminal(RuntimeContainer container, String sessionId, int height, int width) {
        throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT, "the " + name()
                + " runtime cannot resize the terminal of an exec session");
    }

    void reopenLog(RuntimeContainer container);

    /**
     * The container's exit as the runtime knows it now. Cheap (the engine polls it every fraction of a
     * millisecond while a {@code run} waits), and safe to call from any process.
     */
    ExitReport exitReport(RuntimeContainer container);

    /** Forgets a recorded exit, so a container created again is not taken for exited. */
    void clearExitStatus(RuntimeContainer container);

    /**
     * Removes whatever the runtime keeps for the container outside its run directory (exit records,
     * sockets); called once when the container is removed, after {@link #delete}. Idempotent.
     */
    default void release(RuntimeContainer container) {
    }

    /**
     * The IDs of every container the runtime holds for this engine (under its {@code runtimeRoot}),
     * so that {@code rm --all --force} can remove one that a crashed berth left without a record.
     * Empty when the runtime cannot tell.
     */
    default java.util.List<String> containerIds() {
        return java.util.List.of();
    }

    /**
     * Loads what the runtime will need (native code, say) ahead of use. The engine may call it on a
     * background thread while it does other work, so it must be safe to call concurrently and more
     * than once.
     */
    default void prepare() {
    }

    /**
     * Annotations this runtime wants in a container's spec beside its seccomp section, which the
     * engine keeps in {@code seccompSection} (JSON, a file named by its content that never changes):
     * crun takes a program compiled ahead ({@code run.oci.seccomp_bpf_data}) instead of compiling
     * the section at every create. An annotation the container's config sets itself wins. Empty by
     * default; it must not fail (a runtime that cannot help returns empty).
     */
    default java.util.Map<String, String> seccompAnnotations(Path seccompSection) {
        return java.util.Map.of();
    }

    /** The runtime's own view of the container's status ("running", "stopped"...), if it knows it. */
    Optional<String> runtimeState(RuntimeContainer container);
}
