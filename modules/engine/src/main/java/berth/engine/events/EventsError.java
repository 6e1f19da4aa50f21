package berth.engine.events;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/**
 * An events error printed in podman's exact words: podman's events errors carry no sentinel
 * suffix ({@code cannot read events with the "none" backend}, {@code failed to parse event filters: ...}).
 */
public final class EventsError extends BerthException {
    private static final long serialVersionUID = 1L;
    private final String text;

    public EventsError(ErrorCode code, String text) {
        super(code, text);
        this.text = text;
    }

    @Override
    public String getMessage() {
        return text;
    }
}
