package berth.kernel.spi.runtime;

/**
 * What a runtime can do beyond create, start, kill, stop, delete, attach and exit reporting. A runtime
 * declares its set in {@link OciRuntime#features()}; the engine checks it before it acts, so a user
 * asking for something the runtime lacks gets a clear error instead of the runtime's own failure.
 * The runtime conformance kit checks that each declared feature works.
 */
public enum RuntimeFeature {
    /** Freezes and thaws the container ({@code pause}/{@code resume}); without it {@code berth pause} is refused. */
    PAUSE,
    /** Signals every process of the container ({@code kill --all}); without it stop signals the init process only. */
    KILL_ALL,
    /** Runs a process in a running container ({@code exec}). */
    EXEC,
    /**
     * Joins a network namespace the engine made and names by path in config.json. Without it the
     * engine sets up no network for the container (a container that names a network is refused).
     */
    JOIN_NETNS,
    /**
     * Makes a new network namespace itself when config.json asks for one without a path. Without it
     * the engine makes a loopback-only namespace and hands it over by path.
     */
    NEW_NETNS,
    /**
     * Runs {@link RuntimeContainer#cleanupCommand()} once the container's exit is recorded, so restart
     * policies and {@code --rm} apply while no berth process is alive. Without it a detached container's
     * exit is noticed by the next berth command, and restart policies are refused.
     */
    CLEANUP_COMMAND,
    /** Gives the container a terminal ({@code -t}) and resizes it. */
    TERMINAL
}
