package berth.engine.events;

/**
 * The default line and JSON: rendered from an {@link Event} as any renderer is, and also printed
 * straight from the log's bytes ({@link EventLineWriter}) for the lines of the plain shape.
 */
record EventLineFormat(boolean json, boolean truncate) implements EventRenderer {
    @Override
    public void append(Event e, StringBuilder into) {
        if (json) {
            EventCodec.encode(e, into);
        } else {
            e.appendHumanReadable(into, truncate);
        }
    }

    /** {@code s}'s line, and a newline. */
    void write(EventLineScan s, EventLineWriter out) {
        if (json) {
            out.json(s);
        } else {
            out.human(s, truncate);
        }
    }
}
