package berth.engine;

/**
 * {@code berth cp}: a copy between a container's path and a host path, in the direction
 * {@code intoContainer} says. A host path of {@code -} is a tar stream: read from standard input
 * into the container, or written to standard output from it. {@code archive} (podman's default)
 * gives what is copied into a container to the container's user; without it the files keep their
 * owners. {@code overwrite} lets directories and non-directories replace each other.
 */
public record CopyRequest(String container, String containerPath, String hostPath, boolean intoContainer, boolean archive,
                          boolean overwrite) {
    public static final String STREAM = "-";

    public CopyRequest {
        if (containerPath == null || containerPath.isEmpty() || hostPath == null || hostPath.isEmpty()) {
            throw new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.INVALID_ARGUMENT,
                    "invalid arguments: you must specify paths");
        }
    }

    public boolean streamed() {
        return hostPath.equals(STREAM);
    }
}
