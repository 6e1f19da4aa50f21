package berth.engine.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads conmon's k8s-file log: one line per record, {@code TIMESTAMP STREAM F|P TEXT}, where P marks
 * a partial line continued by the next record.
 */
public final class K8sLog {
    /** One reassembled line of output. */
    public record Line(String timestamp, String stream, String text) {
    }

    private K8sLog() {
    }

    static Line parse(String raw) {
        int a = raw.indexOf(' ');
        int b = a < 0 ? -1 : raw.indexOf(' ', a + 1);
        int c = b < 0 ? -1 : raw.indexOf(' ', b + 1);
        if (c < 0) {
            return null;
        }
        String tag = raw.substring(b + 1, c);
        String text = raw.substring(c + 1);
        return new Line(raw.substring(0, a), raw.substring(a + 1, b), tag.equals("P") ? text : text + "\n");
    }

    /**
     * Writes the log to {@code out} (stdout records) and {@code err} (stderr records): the last
     * {@code tail} lines (all if negative), then, with follow, what is appended while {@code running}
     * holds.
     */
    public static void copy(Path log, int tail, boolean timestamps, boolean follow, BooleanSupplier running,
                            OutputStream out, OutputStream err) throws IOException {
        copy(log, new Selection(tail, null, null, ""), timestamps, follow, running, out, err);
    }

    /**
     * Which lines: the last {@code tail} (all if negative) of those written within [since, until]
     * (null: unbounded), each behind {@code prefix} (podman's "ID " when it shows several containers).
     */
    public record Selection(int tail, java.time.Instant since, java.time.Instant until, String prefix) {
        boolean timed() {
            return since != null || until != null;
        }

        boolean keeps(Line l) {
            if (!timed()) {
                return true;
            }
            java.time.Instant t;
            try {
                t = java.time.OffsetDateTime.parse(l.timestamp()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                return true; // a record we cannot date is shown rather than lost
            }
            return (since == null || !t.isBefore(since)) && (until == null || !t.isAfter(until));
        }
    }

    public static void copy(Path log, Selection sel, boolean timestamps, boolean follow, BooleanSupplier running,
                            OutputStream out, OutputStream err) throws IOException {
        Backlog b = backlog(log, sel);
        for (Line l : b.lines()) {
            emit(l, timestamps, sel.prefix(), out, err);
        }
        if (follow) {
            follow(log, b, sel, timestamps, running, out, err);
        }
    }

    /** What the log holds now: its selected complete lines, and where following it goes on. */
    public record Backlog(List<Line> lines, long position, String pending) {
    }

    public static Backlog backlog(Path log, Selection sel) throws IOException {
        if (!Files.exists(log)) {
            return new Backlog(List.of(), 0, "");
        }
        byte[] all = Files.readAllBytes(log);
        String s = new String(all, StandardCharsets.UTF_8);
        int lastNl = s.lastIndexOf('\n');
        List<Line> first = new ArrayList<>();
        assemble(lastNl < 0 ? "" : s.substring(0, lastNl + 1), first);
        first.removeIf(l -> !sel.keeps(l));
        if (sel.tail() >= 0 && first.size() > sel.tail()) {
            first = first.subList(first.size() - sel.tail(), first.size());
        }
        return new Backlog(first, all.length, s.substring(lastNl + 1));
    }

    /** Writes what is appended to the log after {@code from}, until it stops growing and {@code running} says no. */
    public static void follow(Path log, Backlog from, Selection sel, boolean timestamps, BooleanSupplier running,
                              OutputStream out, OutputStream err) throws IOException {
        long pos = from.position();
        StringBuilder pending = new StringBuilder(from.pending());
        while (true) {
            boolean alive = running.getAsBoolean();
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size < pos) {
                pos = 0; // rotated or truncated
            }
            if (size > pos) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    f.seek(pos);
                    byte[] buf = new byte[(int) (size - pos)];
                    f.readFully(buf);
                    pos = size;
                    pending.append(new String(buf, StandardCharsets.UTF_8));
                }
                int lastNl = pending.lastIndexOf("\n");
                if (lastNl >= 0) {
                    List<Line> lines = new ArrayList<>();
                    assemble(pending.substring(0, lastNl + 1), lines);
                    pending.delete(0, lastNl + 1);
                    for (Line l : lines) {
                        if (sel.keeps(l)) {
                            emit(l, timestamps, sel.prefix(), out, err);
                        }
                    }
                }
            } else if (!alive) {
                return;
            } else {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void assemble(String text, List<Line> out) {
        Deque<Line> partial = new ArrayDeque<>();
        StringBuilder acc = null;
        Line head = null;
        for (String raw : text.split("\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            Line l = parse(raw);
            if (l == null) {
                continue;
            }
            if (acc == null) {
                acc = new StringBuilder();
                head = l;
            }
            acc.append(l.text());
            if (l.text().endsWith("\n")) {
                out.add(new Line(head.timestamp(), head.stream(), acc.toString()));
                acc = null;
            }
        }
        if (acc != null) {
            out.add(new Line(head.timestamp(), head.stream(), acc.toString()));
        }
        partial.clear();
    }

    static void emit(Line l, boolean timestamps, String prefix, OutputStream out, OutputStream err) throws IOException {
        OutputStream o = "stderr".equals(l.stream()) ? err : out;
        String s = prefix + (timestamps ? l.timestamp() + " " + l.text() : l.text());
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        synchronized (o) { // several containers followed at once: one line at a time
            o.write(b);
            o.flush();
        }
    }
}
