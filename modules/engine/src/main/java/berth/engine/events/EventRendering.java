package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.util.function.Consumer;

/**
 * {@code events --stream=false} over a whole log: each line decoded, filtered and rendered. A large log
 * is cut at line ends into one part per thread, each part rendered on its own thread into its own
 * buffer, and the buffers printed in the file's order, so the output is the sequential one. Decoding
 * is most of the command's CPU (10,000 events: ~125 of ~190 ms), and a second core halves it.
 *
 * <p>A bad line ends its part: the parts before it and its own lines before the bad one are printed,
 * then its error is thrown, as the sequential read does. {@code render} must be safe to call from
 * several threads (the human line and JSON are; a template is rendered with one thread).
 */
final class EventRendering {
    /** Below this many characters a second thread costs more than it saves. */
    static final int PARALLEL_MIN_CHARS = 256 * 1024;

    private EventRendering() {
    }

    /** One part's output, and the error that ended it early, if any. */
    private record Part(StringBuilder text, EventsError error) {
    }

    static void render(String log, String source, EventFilter filter, EventRenderer render, int threads, Consumer<CharSequence> out) {
        int parts = log.length() < PARALLEL_MIN_CHARS ? 1 : Math.max(1, Math.min(threads, 8));
        int[] bounds = cut(log, parts);
        Part[] done = new Part[parts];
        Thread[] workers = new Thread[parts];
        for (int i = 1; i < parts; i++) {
            int k = i;
            workers[i] = new Thread(() -> {
                try {
                    done[k] = part(log, bounds[k], bounds[k + 1], source, filter, render);
                } catch (RuntimeException ex) {
                    done[k] = new Part(new StringBuilder(), new EventsError(ErrorCode.INTERNAL, "reading events from " + source + ": " + ex));
                }
            }, "berth-events-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        done[0] = part(log, bounds[0], bounds[1], source, filter, render);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                join(workers[i]);
            }
            Part p = done[i];
            out.accept(p.text());
            if (p.error() != null) {
                throw p.error();
            }
        }
    }

    /** Part boundaries: {@code parts + 1} offsets, each inner one just after a newline. */
    static int[] cut(String log, int parts) {
        int[] bounds = new int[parts + 1];
        bounds[parts] = log.length();
        for (int i = 1; i < parts; i++) {
            int at = Math.max(bounds[i - 1], (int) ((long) log.length() * i / parts));
            int nl = log.indexOf('\n', at);
            bounds[i] = nl < 0 ? log.length() : nl + 1;
        }
        return bounds;
    }

    private static Part part(String log, int from, int to, String source, EventFilter filter, EventRenderer render) {
        // a default line is about 3/4 of its JSON, a JSON line all of it: sized so that it rarely grows
        StringBuilder sb = new StringBuilder(Math.max(16, to - from + (to - from) / 16));
        int start = from;
        while (start < to) {
            int nl = log.indexOf('\n', start);
            int end = nl < 0 || nl > to ? to : nl;
            // each line is read in place in the log: no copy of it unless the generic parser needs one
            if (end > start && filter.mayMatch(log, start, end)) {
                Event e;
                try {
                    e = EventCodec.decode(log, start, end);
                } catch (IllegalArgumentException ex) {
                    return new Part(sb, new EventsError(ErrorCode.INTERNAL, ex.getMessage() + " in " + source));
                }
                if (filter.test(e)) {
                    render.append(e, sb);
                    sb.append('\n');
                }
            }
            start = end + 1;
        }
        return new Part(sb, null);
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
