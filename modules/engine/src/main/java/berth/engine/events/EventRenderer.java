package berth.engine.events;

import java.util.function.Function;

/**
 * How {@code events} prints one event: appended to the caller's buffer, so a log of thousands of
 * events is rendered without a String per line (in a cold JVM each allocation and copy counts).
 */
@FunctionalInterface
public interface EventRenderer {
    /** Appends the event's text, without a newline. */
    void append(Event e, StringBuilder into);

    /** podman's default line ({@link Event#appendHumanReadable}); {@link EventRendering} prints most lines from the log's bytes. */
    static EventRenderer human(boolean truncate) {
        return new EventLineFormat(false, truncate);
    }

    /** The log's JSON ({@link EventCodec#encode}); {@link EventRendering} prints most lines from the log's bytes. */
    static EventRenderer json() {
        return new EventLineFormat(true, false);
    }

    /** A renderer that makes each event's text as a String (templates). */
    static EventRenderer of(Function<Event, String> text) {
        return (e, into) -> into.append(text.apply(e));
    }
}
