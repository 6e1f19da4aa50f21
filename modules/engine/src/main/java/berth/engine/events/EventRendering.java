package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/**
 * {@code events --stream=false} over a whole log: each line filtered and rendered. The default line
 * and JSON ({@link EventLineFormat}) are printed from the log's bytes for the lines of the plain
 * shape ({@link EventLineScan}); any other line, and every line of a template, is decoded to an
 * {@link Event} and rendered from it. A large log is cut at line ends into one part per thread
 * ({@link EventLogSlice}), each part read and rendered on its own thread into its own buffer, and
 * the buffers written in the file's order (the first as it is rendered), so the output is the
 * sequential one.
 *
 * <p>A bad line ends its part: the parts before it and its own lines before the bad one are printed,
 * then its error is thrown, as the sequential read does. {@code render} must be safe to call from
 * several threads (the human line and JSON are; a template is rendered with one thread).
 */
final class EventRendering {
    /** Below this many bytes a second thread costs more than it saves. */
    static final int PARALLEL_MIN_BYTES = 256 * 1024;
    /** The first part's output is written in pieces of about this size (a pipe's reader starts on them). */
    private static final int FLUSH = 64 * 1024;

    private EventRendering() {
    }

    /** One part's output, and the error that ended it early, if any. */
    private record Part(EventLineWriter text, EventsError error) {
    }

    /** The log's {@code size} bytes read from {@code log} (positional reads, from several threads). */
    static void render(FileChannel log, long size, String source, EventFilter filter, EventRenderer render, int threads, OutputStream out) {
        int parts = size < PARALLEL_MIN_BYTES ? 1 : Math.max(1, Math.min(threads, 8));
        Part[] done = new Part[parts];
        Thread[] workers = new Thread[parts];
        for (int i = 1; i < parts; i++) {
            int k = i;
            workers[i] = new Thread(() -> {
                try {
                    done[k] = part(log, size, k, parts, source, filter, render, null);
                } catch (RuntimeException ex) {
                    done[k] = new Part(new EventLineWriter(0), new EventsError(ErrorCode.INTERNAL, "reading events from " + source + ": " + ex));
                }
            }, "berth-events-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        done[0] = part(log, size, 0, parts, source, filter, render, out);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                join(workers[i]);
            }
            Part p = done[i];
            write(out, p.text());
            if (p.error() != null) {
                throw p.error();
            }
        }
    }

    /** Part {@code k} of {@code parts}, read and rendered; with {@code sink}, written there as it goes. */
    private static Part part(FileChannel log, long size, int k, int parts, String source, EventFilter filter, EventRenderer render,
            OutputStream sink) {
        EventLogSlice slice;
        try {
            slice = EventLogSlice.read(log, size * k / parts, size * (k + 1) / parts, size);
        } catch (IOException e) {
            return new Part(new EventLineWriter(0), new EventsError(ErrorCode.INTERNAL, "reading events from " + source + ": " + e.getMessage()));
        }
        return part(slice.bytes(), slice.start(), slice.end(), source, filter, render, sink);
    }

    private static Part part(byte[] log, int from, int to, String source, EventFilter filter, EventRenderer render, OutputStream sink) {
        // a default line is about 3/4 of its JSON, a JSON line all of it: sized so that it rarely grows;
        // a part written as it goes needs a piece's worth
        EventLineWriter out = new EventLineWriter(sink != null ? FLUSH + 4096 : to - from + (to - from) / 16);
        EventPartLines lines = new EventPartLines(log, to, source, filter, render, out);
        EventNeedle anchor = filter.passesAll() ? null : filter.anchor(log, from, to);
        int start = from;
        while (start < to) {
            if (sink != null && out.length() >= FLUSH) {
                write(sink, out);
            }
            if (anchor != null) {
                // only the lines that hold the anchor can pass: on to the next one
                int hit = anchor.find(log, start, to);
                if (hit < 0) {
                    break;
                }
                int lineStart = hit;
                while (lineStart > start && log[lineStart - 1] != '\n') {
                    lineStart--;
                }
                start = lineStart;
            }
            start = lines.line(start);
            if (start < 0) {
                return new Part(out, lines.error());
            }
        }
        return new Part(out, null);
    }

    private static void write(OutputStream out, EventLineWriter text) {
        try {
            out.write(text.bytes(), 0, text.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text.clear();
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
