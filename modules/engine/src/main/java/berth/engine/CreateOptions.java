package berth.engine;

import berth.kernel.model.PullOptions;
import berth.kernel.model.SpecSettings;
import java.util.List;
import java.util.Map;

/**
 * What {@code berth create/run} asks for, as typed values the CLI maps its flags to. Strings are
 * validated by the engine (so an embedding program gets the same checks and errors as the CLI).
 *
 * <p>The root filesystem is {@code rootfs} (a directory) or {@code image} (a reference the image store
 * resolves, pulling it per {@code pull}: always, missing, never, newer; null for containers.conf's
 * pull_policy). {@code entrypoint} null keeps the image's; an empty list clears it.
 * {@code publishAll} ({@code -P}) publishes each port the image exposes, and each of {@code expose}
 * ({@code --expose PORT[-END][/PROTO]}), to a free host port. {@code timeout} ({@code --timeout}, seconds,
 * 0 for none) has conmon kill the container once it has run that long. {@code preserveFds}
 * ({@code --preserve-fds N}) hands the caller's descriptors 3 to 3+N-1 to the container's process.
 * {@code logOptions} are {@code --log-opt KEY=VALUE} ({@code max-size=SIZE}).
 */
public record CreateOptions(
        String name,
        String rootfs,
        List<String> command,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        boolean terminal,
        boolean interactive,
        List<String> volumes,
        List<String> tmpfs,
        String network,
        List<String> publish,
        String restart,
        String stopSignal,
        Integer stopTimeout,
        String logDriver,
        String runtime,
        String memory,
        String cpus,
        Long pidsLimit,
        List<String> requires,
        boolean autoRemove,
        Map<String, String> labels,
        Map<String, String> annotations,
        String image,
        List<String> entrypoint,
        String pull,
        PullOptions pullOptions,
        List<String> mounts,
        List<String> volumesFrom,
        boolean publishAll,
        List<String> expose,
        List<String> ulimits,
        List<String> securityOpts,
        boolean privileged,
        List<String> createCommand,
        int timeout,
        int preserveFds,
        List<String> logOptions,
        SpecSettings settings) {

    public CreateOptions {
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        publish = publish == null ? List.of() : List.copyOf(publish);
        requires = requires == null ? List.of() : List.copyOf(requires);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        pullOptions = pullOptions == null ? PullOptions.DEFAULT : pullOptions;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
        expose = expose == null ? List.of() : List.copyOf(expose);
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        securityOpts = securityOpts == null ? List.of() : List.copyOf(securityOpts);
        createCommand = createCommand == null ? List.of() : List.copyOf(createCommand);
        logOptions = logOptions == null ? List.of() : List.copyOf(logOptions);
        settings = settings == null ? SpecSettings.NONE : settings;
    }

    /** Without {@code --ulimit}, {@code --security-opt}, {@code --privileged} and the command line. */
    public CreateOptions(String name, String rootfs, List<String> command, List<String> env, String workingDir, String user,
                         String hostname, boolean terminal, boolean interactive, List<String> volumes, List<String> tmpfs,
                         String network, List<String> publish, String restart, String stopSignal, Integer stopTimeout,
                         String logDriver, String runtime, String memory, String cpus, Long pidsLimit, List<String> requires,
                         boolean autoRemove, Map<String, String> labels, Map<String, String> annotations, String image,
                         List<String> entrypoint, String pull, PullOptions pullOptions, List<String> mounts,
                         List<String> volumesFrom, boolean publishAll, List<String> expose) {
        this(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs, network, publish,
                restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires, autoRemove, labels,
                annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose, List.of(), List.of(),
                false, List.of(), 0, 0, List.of(), SpecSettings.NONE);
    }

    /** Without {@code --mount} and {@code --volumes-from}. */
    public CreateOptions(String name, String rootfs, List<String> command, List<String> env, String workingDir, String user,
                         String hostname, boolean terminal, boolean interactive, List<String> volumes, List<String> tmpfs,
                         String network, List<String> publish, String restart, String stopSignal, Integer stopTimeout,
                         String logDriver, String runtime, String memory, String cpus, Long pidsLimit, List<String> requires,
                         boolean autoRemove, Map<String, String> labels, Map<String, String> annotations, String image,
                         List<String> entrypoint, String pull, PullOptions pullOptions) {
        this(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs, network, publish,
                restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires, autoRemove, labels,
                annotations, image, entrypoint, pull, pullOptions, List.of(), List.of(), false, List.of());
    }

    /** These options with {@code --mount} and {@code --volumes-from} values. */
    public CreateOptions withMounts(List<String> mountFlags, List<String> volumesFromFlags) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mountFlags, volumesFromFlags, publishAll, expose,
                ulimits, securityOpts, privileged, createCommand, timeout, preserveFds, logOptions, settings);
    }

    /** These options with {@code -P/--publish-all} and {@code --expose} values. */
    public CreateOptions withPublishAll(boolean publishAllFlag, List<String> exposeFlags) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAllFlag, exposeFlags,
                ulimits, securityOpts, privileged, createCommand, timeout, preserveFds, logOptions, settings);
    }

    /**
     * These options with {@code --ulimit} values (podman's {@code nofile=1024:2048} or {@code host};
     * given, they replace containers.conf's default_ulimits as podman's flag does),
     * {@code --security-opt} values ({@code seccomp=unconfined}, {@code seccomp=PROFILE.json}) and
     * {@code privileged} (podman's --privileged: every capability, no seccomp filter unless the
     * profile is one of the user's own, no masked or read-only paths, /sys writable, the host's devices).
     */
    public CreateOptions withSecurity(List<String> ulimitFlags, List<String> securityOptFlags, boolean privilegedFlag) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose,
                ulimitFlags, securityOptFlags, privilegedFlag, createCommand, timeout, preserveFds, logOptions, settings);
    }

    /** These options with the command line that asks for the container (libpod's CreateCommand: the program, then its arguments). */
    public CreateOptions withCreateCommand(List<String> argv) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose,
                ulimits, securityOpts, privileged, argv, timeout, preserveFds, logOptions, settings);
    }

    /** These options with {@code --timeout} (seconds, 0 for none). */
    public CreateOptions withTimeout(int seconds) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose, ulimits, securityOpts, privileged, createCommand, seconds, preserveFds, logOptions, settings);
    }

    /** These options with {@code --preserve-fds N}. */
    public CreateOptions withPreserveFds(int count) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose, ulimits, securityOpts, privileged, createCommand, timeout, count, logOptions, settings);
    }

    /** These options with {@code --log-opt} values. */
    public CreateOptions withLogOptions(List<String> opts) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose, ulimits, securityOpts, privileged, createCommand, timeout,
                preserveFds, opts, settings);
    }

    /** These options with the flags that shape the spec and /etc files ({@code --cap-add}, {@code --read-only}, ...). */
    public CreateOptions withSettings(SpecSettings specSettings) {
        return new CreateOptions(name, rootfs, command, env, workingDir, user, hostname, terminal, interactive, volumes, tmpfs,
                network, publish, restart, stopSignal, stopTimeout, logDriver, runtime, memory, cpus, pidsLimit, requires,
                autoRemove, labels, annotations, image, entrypoint, pull, pullOptions, mounts, volumesFrom, publishAll, expose, ulimits,
                securityOpts, privileged, createCommand, timeout, preserveFds, logOptions, specSettings);
    }

    /** The minimal options: a root filesystem and a command. */
    public static CreateOptions of(String rootfs, List<String> command) {
        return new CreateOptions(null, rootfs, command, List.of(), null, null, null, false, false, List.of(), List.of(),
                null, List.of(), null, null, null, null, null, null, null, null, List.of(), false, Map.of(), Map.of(), null, null, null, null);
    }
}
