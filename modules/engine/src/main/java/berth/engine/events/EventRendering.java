package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code events --stream=false} over a whole log: each line filtered and rendered. The default line
 * and JSON ({@link EventLineFormat}) are printed from the log's bytes for the lines of the plain
 * shape ({@link EventLineScan}); any other line, and every line of a template, is decoded to an
 * {@link Event} and rendered from it. A large log is cut at line ends into one part per thread, each
 * part rendered on its own thread into its own buffer, and the buffers written in the file's order,
 * so the output is the sequential one.
 *
 * <p>A bad line ends its part: the parts before it and its own lines before the bad one are printed,
 * then its error is thrown, as the sequential read does. {@code render} must be safe to call from
 * several threads (the human line and JSON are; a template is rendered with one thread).
 */
final class EventRendering {
    /** Below this many bytes a second thread costs more than it saves. */
    static final int PARALLEL_MIN_BYTES = 256 * 1024;

    private EventRendering() {
    }

    /** One part's output, and the error that ended it early, if any. */
    private record Part(EventLineWriter text, EventsError error) {
    }

    static void render(byte[] log, String source, EventFilter filter, EventRenderer render, int threads, OutputStream out) {
        int parts = log.length < PARALLEL_MIN_BYTES ? 1 : Math.max(1, Math.min(threads, 8));
        int[] bounds = cut(log, parts);
        Part[] done = new Part[parts];
        Thread[] workers = new Thread[parts];
        for (int i = 1; i < parts; i++) {
            int k = i;
            workers[i] = new Thread(() -> {
                try {
                    done[k] = part(log, bounds[k], bounds[k + 1], source, filter, render);
                } catch (RuntimeException ex) {
                    done[k] = new Part(new EventLineWriter(0), new EventsError(ErrorCode.INTERNAL, "reading events from " + source + ": " + ex));
                }
            }, "berth-events-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        berth.kernel.trace.Trace.mark("TMP threads started");
        done[0] = part(log, bounds[0], bounds[1], source, filter, render);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                join(workers[i]);
            }
            Part p = done[i];
            try {
                out.write(p.text().bytes(), 0, p.text().length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (p.error() != null) {
                throw p.error();
            }
        }
    }

    /** Part boundaries: {@code parts + 1} offsets, each inner one just after a newline. */
    static int[] cut(byte[] log, int parts) {
        int[] bounds = new int[parts + 1];
        bounds[parts] = log.length;
        for (int i = 1; i < parts; i++) {
            int at = Math.max(bounds[i - 1], (int) ((long) log.length * i / parts));
            while (at < log.length && log[at] != '\n') {
                at++;
            }
            bounds[i] = Math.min(log.length, at + 1);
        }
        return bounds;
    }

    private static Part part(byte[] log, int from, int to, String source, EventFilter filter, EventRenderer render) {
        berth.kernel.trace.Trace.mark("TMP part start");
        try {
            return part0(log, from, to, source, filter, render);
        } finally {
            berth.kernel.trace.Trace.mark("TMP part end");
        }
    }

    private static Part part0(byte[] log, int from, int to, String source, EventFilter filter, EventRenderer render) {
        // a default line is about 3/4 of its JSON, a JSON line all of it: sized so that it rarely grows
        EventLineWriter out = new EventLineWriter(to - from + (to - from) / 16);
        EventLineFormat format = render instanceof EventLineFormat f ? f : null;
        EventLineScan scan = new EventLineScan();
        boolean all = filter.passesAll();
        StringBuilder sb = null;
        int start = from;
        while (start < to) {
            if (format != null) {
                // the plain lines: read, tested and printed in place, their end found by the scan
                int end = scan.scan(log, start, to);
                if (end >= 0) {
                    if (all || filter.test(scan)) {
                        format.write(scan, out);
                    }
                    start = end + 1;
                    continue;
                }
            }
            int end = start;
            while (end < to && log[end] != '\n') {
                end++;
            }
            // any other line: decoded as the stream reads it, errors and all (unless it cannot pass)
            if (end > start && filter.mayMatch(log, start, end)) {
                Event e;
                try {
                    e = EventCodec.decode(new String(log, start, end - start, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ex) {
                    return new Part(out, new EventsError(ErrorCode.INTERNAL, ex.getMessage() + " in " + source));
                }
                if (filter.test(e)) {
                    sb = sb == null ? new StringBuilder(512) : sb;
                    sb.setLength(0);
                    render.append(e, sb);
                    sb.append('\n');
                    out.text(sb);
                }
            }
            start = end + 1;
        }
        return new Part(out, null);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventsError(ErrorCode.INTERNAL, "interrupted while reading events");
        }
    }
}
