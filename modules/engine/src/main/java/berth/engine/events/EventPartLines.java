package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.nio.charset.StandardCharsets;

/**
 * The lines of one part of the log, each filtered and rendered into the part's buffer: a plain line
 * read, tested and printed in place ({@link EventLineScan}), any other decoded as the stream reads
 * it, errors and all (unless it cannot pass).
 */
final class EventPartLines {
    private final byte[] log;
    private final int to;
    private final String source;
    private final EventFilter filter;
    private final EventRenderer render;
    private final EventLineFormat format;
    private final EventLineWriter out;
    private final EventLineScan scan = new EventLineScan();
    private final boolean all;
    private StringBuilder sb;
    private EventsError error;

    EventPartLines(byte[] log, int to, String source, EventFilter filter, EventRenderer render, EventLineWriter out) {
        this.log = log;
        this.to = to;
        this.source = source;
        this.filter = filter;
        this.render = render;
        this.format = render instanceof EventLineFormat f ? f : null;
        this.out = out;
        this.all = filter.passesAll();
    }

    /** Renders the line at {@code start} if it passes: where the next line starts, or -1 for a bad line ({@link #error()}). */
    int line(int start) {
        if (format != null) {
            // the scan finds the line's end as it reads
            int end = scan.scan(log, start, to);
            if (end >= 0) {
                if (all || filter.test(scan)) {
                    format.write(scan, out);
                }
                return end + 1;
            }
        }
        int end = start;
        while (end < to && log[end] != '\n') {
            end++;
        }
        if (end > start && filter.mayMatch(log, start, end)) {
            Event e;
            try {
                e = EventCodec.decode(new String(log, start, end - start, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ex) {
                error = new EventsError(ErrorCode.INTERNAL, ex.getMessage() + " in " + source);
                return -1;
            }
            if (filter.test(e)) {
                sb = sb == null ? new StringBuilder(512) : sb;
                sb.setLength(0);
                render.append(e, sb);
                sb.append('\n');
                out.text(sb);
            }
        }
        return end + 1;
    }

    /** What ended the part, after {@link #line} returned -1. */
    EventsError error() {
        return error;
    }
}
