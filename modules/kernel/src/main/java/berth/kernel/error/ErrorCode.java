package berth.kernel.error;

/**
 * The sentinel errors of berth, in one place (as podman's define/errors.go). Each maps to the exit
 * code the CLI returns; engine errors are 125 as in podman.
 */
public enum ErrorCode {
    NO_SUCH_CONTAINER("no such container", 125),
    CONTAINER_EXISTS("container already exists", 125),
    NAME_IN_USE("name is in use", 125),
    AMBIGUOUS_ID("more than one result for container ID prefix", 125),
    CONTAINER_STATE_INVALID("container state improper", 125),
    CONTAINER_REMOVED("container has already been removed", 125),
    DEPENDENCY_EXISTS("container has dependent containers which must be removed before it", 125),
    INVALID_ARGUMENT("invalid argument", 125),
    /** Bad input that podman words itself, with no sentinel after it (flag checks, signal names). */
    USAGE("", 125),
    NO_SUCH_PLUGIN("no such plugin", 125),
    RUNTIME_MISSING("OCI runtime not available", 125),
    RUNTIME_ERROR("OCI runtime error", 125),
    COMMAND_NOT_FOUND("executable file not found", 127),
    PERMISSION_DENIED("OCI permission denied", 126), // podman's sentinel for a command that cannot be invoked
    CONMON_DEAD("conmon process killed", 125),
    STATE_CORRUPT("state record is corrupt", 125),
    STATE_CONFIG_MISMATCH("database configuration mismatch", 125),
    CONFIG_INVALID("invalid configuration", 125),
    NETWORK_ERROR("network setup failed", 125),
    /** podman's ErrNoSuchNetwork (libnetwork's wording). */
    NO_SUCH_NETWORK("network not found", 125),
    /** podman's ErrNetworkConnected: the container already is on that network. */
    NETWORK_CONNECTED("network is already connected", 125),
    /** podman's ErrNetworkModeInvalid: the container's network mode does not allow the operation. */
    NETWORK_MODE_INVALID("invalid network mode", 125),
    HOOK_FAILED("hook failed", 125),
    NO_SUCH_EXEC_SESSION("no such exec session", 125),
    TIMEOUT("timed out", 125),
    IMAGE_NOT_FOUND("image not known", 125),
    IMAGE_IN_USE("image is in use by a container", 125),
    IMAGE_TRANSPORT("image transfer failed", 125),
    IMAGE_INVALID("invalid image", 125),
    NO_SUCH_VOLUME("no such volume", 125),
    /** podman's ErrNoSuchPod: berth has no pods, so every pod named is missing. */
    NO_SUCH_POD("no such pod", 125),
    VOLUME_EXISTS("volume already exists", 125),
    VOLUME_IN_USE("volume is being used", 2),
    DUPLICATE_MOUNT("duplicate mount destination", 125),
    MOUNT_OPTION_INVALID("invalid mount option", 125),
    MOUNT_OPTION_DUPLICATE("duplicate mount option passed", 125),
    MOUNT_ARGUMENT_MISSING("must provide an argument for option", 125),
    /** A path that {@code cp} did not find, in a container or on the host (podman's wording). */
    NO_SUCH_FILE("no such file or directory", 125),
    INTERNAL("internal error", 125);

    private final String text;
    private final int exitCode;

    ErrorCode(String text, int exitCode) {
        this.text = text;
        this.exitCode = exitCode;
    }

    /** The podman-style short text, e.g. "container state improper". */
    public String text() {
        return text;
    }

    /** The CLI exit code for this error. */
    public int exitCode() {
        return exitCode;
    }
}
