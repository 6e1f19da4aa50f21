package berth.engine.events;

import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads podman's events log file: all of it ({@code --stream=false}), or followed as {@code tail -f}
 * does (polled, reopened when rotated or truncated), from the end unless {@code fromStart} (podman
 * starts at the end when streaming without since/until). The consumer hears each event that passes
 * the filter; {@code batchDone} runs after each read, so the caller flushes then rather than per line.
 */
public final class EventFile {
    private static final long POLL_NANOS = 100_000_000L;

    private final Path path;

    public EventFile(Path path) {
        this.path = path;
    }

    /** Every event in the file that passes {@code filter}, in the file's order. */
    public void readAll(EventFilter filter, Consumer<Event> out) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return; // podman makes the file on start-up; nothing written yet reads as nothing
        } catch (IOException e) {
            throw new EventsError(ErrorCode.INTERNAL, "reading events from " + path + ": " + e.getMessage());
        }
        lines(new String(bytes, StandardCharsets.UTF_8), filter, out, true);
    }

    /**
     * Every event in the file that passes {@code filter}, rendered in the file's order; a large file is
     * read on {@code threads} threads ({@link EventRendering}), so {@code render} must allow that. The
     * output goes to {@code out} as UTF-8, a part of the log at a time.
     */
    public void renderAll(EventFilter filter, EventRenderer render, int threads, java.io.OutputStream out) {
        // each part is read by its own thread from this one channel (positional reads): a rotation
        // renames a new log in, and this one stays whole
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new EventsError(ErrorCode.INTERNAL, "reading events from " + path + ": the log is over 2 GB");
            }
            EventRendering.render(ch, size, path.toString(), filter, render, threads, out);
        } catch (NoSuchFileException e) {
            // podman makes the file on start-up; nothing written yet reads as nothing
        } catch (IOException e) {
            throw new EventsError(ErrorCode.INTERNAL, "reading events from " + path + ": " + e.getMessage());
        }
    }

    /**
     * Follows the file until the thread is interrupted or the filter's until time passes. Throws
     * EventsError for a line podman could not read either.
     */
    public void follow(EventFilter filter, boolean fromStart, Consumer<Event> out, Runnable batchDone) {
        Instant until = filter.until();
        long position = -1;
        Object fileKey = null;
        StringBuilder partial = new StringBuilder();
        while (!Thread.currentThread().isInterrupted()) {
            if (until != null && Instant.now().isAfter(until)) {
                return;
            }
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                long size = ch.size();
                if (position < 0) {
                    position = fromStart ? 0 : size;
                } else if (key != null && !key.equals(fileKey) || size < position) {
                    position = 0; // rotated (a new file) or truncated: read the new content from its start
                    partial.setLength(0);
                }
                fileKey = key;
                if (size > position) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - position, 1 << 24));
                    ch.read(buf, position);
                    position += buf.position();
                    partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    int lastNl = partial.lastIndexOf("\n");
                    if (lastNl >= 0) {
                        lines(partial.substring(0, lastNl + 1), filter, out, false);
                        partial.delete(0, lastNl + 1);
                        batchDone.run();
                    }
                    continue;
                }
            } catch (NoSuchFileException e) {
                if (position < 0) {
                    position = 0; // created later: all of it is new
                }
            } catch (IOException e) {
                throw new EventsError(ErrorCode.INTERNAL, "reading events from " + path + ": " + e.getMessage());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void lines(String text, EventFilter filter, Consumer<Event> out, boolean lastMayLackNewline) {
        int start = 0;
        int n = text.length();
        while (start < n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            if (end > start && filter.mayMatch(text, start, end)) {
                Event e;
                try {
                    e = EventCodec.decode(text, start, end);
                } catch (IllegalArgumentException ex) {
                    throw new EventsError(ErrorCode.INTERNAL, ex.getMessage() + " in " + path);
                }
                if (filter.test(e)) {
                    out.accept(e);
                }
            }
            start = end + 1;
        }
    }
}
