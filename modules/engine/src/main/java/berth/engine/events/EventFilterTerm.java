package berth.engine.events;

import java.time.Instant;

/**
 * One of podman's event filters ({@code libpod/events/filters.go}), tested on a decoded {@link Event}
 * or on a line scanned in the log's bytes ({@link EventLineScan}): the same test both ways, so that
 * {@code events --stream=false} tests most lines without an Event.
 *
 * @param kind what is compared: one of the constants below
 * @param value the filter's value (a label's value for {@link #LABEL}; null for a label filter without one)
 * @param key a label's key; null otherwise
 * @param time since's or until's time; null otherwise
 */
record EventFilterTerm(int kind, String value, String key, Instant time) {
    static final int CONTAINER = 0;
    static final int STATUS = 1;
    static final int IMAGE = 2;
    static final int POD = 3;
    static final int VOLUME = 4;
    static final int TYPE = 5;
    static final int LABEL = 6;
    static final int SINCE = 7;
    static final int UNTIL = 8;

    boolean test(Event e) {
        return switch (kind) {
            case CONTAINER -> e.type() == EventType.CONTAINER && named(e);
            case STATUS -> e.status().equals(value);
            case IMAGE -> e.type() == EventType.IMAGE && named(e);
            case POD -> e.type() == EventType.POD && named(e);
            // by name, as later podman does: podman 4.3.1 compared the (empty) ID and never matched
            case VOLUME -> e.type() == EventType.VOLUME && e.name().startsWith(value);
            case TYPE -> e.type().text().equals(value);
            // podman: a label filter without a value matches nothing
            case LABEL -> value != null && e.attributes() != null && value.equals(e.attributes().get(key));
            case SINCE -> e.time().toInstant().isAfter(time);
            default -> e.time().toInstant().isBefore(time);
        };
    }

    private boolean named(Event e) {
        return e.name().equals(value) || e.id().startsWith(value);
    }

    /** {@link #test(Event)} of the scanned line; false for since and until (see {@link #onText()}). */
    boolean test(EventLineScan s) {
        return switch (kind) {
            case CONTAINER -> s.type == EventType.CONTAINER && named(s);
            case STATUS -> s.equals(EventLineScan.STATUS, value);
            case IMAGE -> s.type == EventType.IMAGE && named(s);
            case POD -> s.type == EventType.POD && named(s);
            case VOLUME -> s.type == EventType.VOLUME && s.startsWith(EventLineScan.NAME, value);
            case TYPE -> s.type.text().equals(value);
            case LABEL -> value != null && s.hasLabel(key, value);
            default -> false;
        };
    }

    private boolean named(EventLineScan s) {
        return s.equals(EventLineScan.NAME, value) || s.startsWith(EventLineScan.ID, value);
    }

    /** Whether {@link #test(EventLineScan)} can tell: not for times, which the scan keeps as text. */
    boolean onText() {
        return kind != SINCE && kind != UNTIL;
    }
}
