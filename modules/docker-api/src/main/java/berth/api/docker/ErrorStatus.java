package berth.api.docker;

import berth.kernel.error.BerthException;

/** Docker's status codes for the engine's errors: 404 for what is missing, 409 for conflicts, 400 for bad input. */
final class ErrorStatus {
    private ErrorStatus() {
    }

    static int of(BerthException e) {
        switch (e.code()) {
            case NO_SUCH_CONTAINER:
            case CONTAINER_REMOVED:
            case IMAGE_NOT_FOUND:
            case NO_SUCH_VOLUME:
            case NO_SUCH_EXEC_SESSION:
            case NO_SUCH_FILE:
            case NO_SUCH_NETWORK:
                return 404;
            case NETWORK_CONNECTED: // Docker's answer to an endpoint that exists already
                return 403;
            case CONTAINER_EXISTS:
            case NAME_IN_USE:
            case CONTAINER_STATE_INVALID:
            case DEPENDENCY_EXISTS:
            case IMAGE_IN_USE:
            case VOLUME_EXISTS:
            case VOLUME_IN_USE:
                return 409;
            case INVALID_ARGUMENT:
            case AMBIGUOUS_ID:
            case DUPLICATE_MOUNT:
            case MOUNT_OPTION_INVALID:
            case MOUNT_OPTION_DUPLICATE:
            case MOUNT_ARGUMENT_MISSING:
            case NETWORK_MODE_INVALID:
                return 400;
            default:
                return notFoundByWording(e.getMessage()) ? 404 : 500;
        }
    }

    /** The network admin reports a missing network as an invalid argument or internal error naming it. */
    private static boolean notFoundByWording(String message) {
        return message != null && (message.contains("no such network") || message.contains("network not found"));
    }
}
