package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;

/** Errors that name the container and the cause, worded as podman words them. */
public final class ContainerErrors {
    private ContainerErrors() {
    }

    /** The container is in a state that does not allow the operation. */
    public static BerthException improper(Container c, String what) {
        return new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container " + c.name() + " (" + c.config().shortId()
                + ") is " + c.status().display() + (what.isEmpty() ? "" : ": " + what));
    }

    /** The container's runtime lacks what the operation needs. */
    public static BerthException unsupported(Container c, String runtime, String what) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, "container " + c.name() + " (" + c.config().shortId()
                + "): the " + runtime + " runtime cannot " + what);
    }
}
