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

    /** A renderer that makes each event's text as a String (templates). */
    static EventRenderer of(Function<Event, String> text) {
        return (e, into) -> into.append(text.apply(e));
    }
}
