package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code events --stream=false} on several threads prints exactly what one thread prints, in the log's
 * order; the raw-text check before decoding drops only lines that cannot pass.
 */
class EventRenderingTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final String[] STATUSES = {"create", "init", "start", "exec", "exec_died", "died", "cleanup", "remove"};

    /** A log of {@code n} lines as podman's encoder writes them, with a few image and volume events. */
    private static String log(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            OffsetDateTime t = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusNanos(i * 1_000_001L);
            Event e = i % 17 == 0
                    ? new Event(t, EventType.IMAGE, "pull", "img" + i, "busybox", "", "", 0, "", "", null)
                    : new Event(t, EventType.CONTAINER, STATUSES[i % STATUSES.length], "id" + i, "c" + i, "img", "", i % 5, "", "",
                            Map.of("app", i % 2 == 0 ? "web" : "db"));
            sb.append(EventCodec.encode(e)).append('\n');
        }
        return sb.toString();
    }

    /** The renderers: the two that also print from the log's bytes, and any other (rendered from each Event). */
    private static final List<EventRenderer> RENDERERS = List.of(EventRenderer.human(true), EventRenderer.human(false), EventRenderer.json(),
            (e, into) -> e.appendHumanReadable(into, true));

    static String render(String log, EventFilter filter, EventRenderer render, int threads) {
        return render(log, filter, render, threads, new ByteArrayOutputStream());
    }

    /** Renders {@code log} as a file (the output so far in {@code out} when it throws). */
    static String render(String log, EventFilter filter, EventRenderer render, int threads, ByteArrayOutputStream out) {
        try {
            Path file = Files.createTempFile("events", ".log");
            try {
                Files.writeString(file, log);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    EventRendering.render(ch, ch.size(), "test.log", filter, render, threads, out);
                }
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String rendered(String log, List<String> filters, EventRenderer render, int threads) {
        return render(log, EventFilter.parse(filters, null, null, NOW), render, threads);
    }

    /** The plain sequential reading: every line that may pass decoded, tested, rendered. */
    static String reference(String log, EventFilter f, EventRenderer render) {
        StringBuilder out = new StringBuilder();
        for (String line : log.split("\n")) {
            if (line.isEmpty() || !f.mayMatch(line)) {
                continue; // a line that cannot pass is not decoded, nor is its error reported (as podman's grep-free read would)
            }
            Event e = EventCodec.decode(line);
            if (f.test(e)) {
                render.append(e, out);
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String reference(String log, List<String> filters) {
        return reference(log, EventFilter.parse(filters, null, null, NOW), EventRenderer.human(true));
    }

    @Test
    void severalThreadsPrintWhatOneThreadPrintsInOrder() {
        String log = log(6000);
        assertTrue(log.length() > EventRendering.PARALLEL_MIN_BYTES, "the log must be large enough to be cut");
        for (List<String> filters : List.of(List.<String>of(), List.of("type=container", "event=died"), List.of("event=exec_died"),
                List.of("event=died", "event=pull"), List.of("label=app=web", "status=start"), List.of("type=image"))) {
            for (EventRenderer render : RENDERERS) {
                String want = reference(log, EventFilter.parse(filters, null, null, NOW), render);
                for (int threads : new int[] {1, 2, 3, 8}) {
                    assertEquals(want, rendered(log, filters, render, threads), filters + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void partsHoldEachLineOnceInOrder() throws IOException {
        // lines of every length, and some longer than a part's first read past its end
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            sb.append("x".repeat(i % 97 == 0 ? 9000 : i % 300)).append('\n');
        }
        String text = sb.append("last, without a newline").toString();
        byte[] log = text.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile("events", ".log");
        try {
            Files.write(file, log);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (int parts : new int[] {1, 2, 3, 8, 1000, 5000}) {
                    StringBuilder joined = new StringBuilder();
                    for (int k = 0; k < parts; k++) {
                        EventLogSlice s = EventLogSlice.read(ch, log.length * (long) k / parts, log.length * (long) (k + 1) / parts, log.length);
                        String part = new String(s.bytes(), s.start(), s.end() - s.start(), StandardCharsets.UTF_8);
                        assertTrue(k == parts - 1 || part.isEmpty() || part.endsWith("\n"), "part " + k + " of " + parts + " ends a line");
                        joined.append(part);
                    }
                    assertEquals(text, joined.toString(), parts + " parts");
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theRawTextCheckDropsOnlyLinesThatCannotPass() {
        EventFilter died = EventFilter.parse(List.of("type=container", "event=died"), null, null, NOW);
        String line = EventCodec.encode(new Event(OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC), EventType.CONTAINER, "exec_died",
                "id", "c", "img", "", 0, "", "", null));
        assertEquals(false, died.mayMatch(line), "exec_died is not died");
        assertEquals(true, died.mayMatch(line.replace("exec_died", "died")));
        // values an encoder could escape, and keys without a literal, are left to the decoded test
        assertEquals(true, EventFilter.parse(List.of("event=a<b"), null, null, NOW).mayMatch("{}"));
        assertEquals(true, EventFilter.parse(List.of("container=foo", "label=a=b"), null, null, NOW).mayMatch("{}"));
        // one key's values are alternatives
        assertEquals(true, EventFilter.parse(List.of("event=start", "event=died"), null, null, NOW).mayMatch(line.replace("exec_died", "died")));
    }

    @Test
    void aBadLineEndsTheOutputAfterEverythingBeforeIt() {
        String log = log(6000);
        int mid = log.indexOf('\n', log.length() * 3 / 4) + 1;
        String bad = log.substring(0, mid) + "{not json\n" + log.substring(mid);
        String before = reference(log.substring(0, mid), List.of());
        for (EventRenderer render : List.of(EventRenderer.of(e -> e.humanReadable(true)), EventRenderer.human(true))) {
            for (int threads : new int[] {1, 2, 4}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                EventsError e = assertThrows(EventsError.class, () -> render(bad, EventFilter.none(), render, threads, out));
                assertTrue(e.getMessage().contains("test.log"), e.getMessage());
                assertEquals(before, out.toString(StandardCharsets.UTF_8), "printed before the error on " + threads + " threads");
            }
        }
    }

    @Test
    void aRenderErrorOnAWorkerIsReportedNotLost() {
        String log = log(6000);
        EventRenderer render = EventRenderer.of(e -> {
            if (e.name().equals("c5999")) {
                throw new IllegalStateException("boom");
            }
            return e.name();
        });
        EventsError e = assertThrows(EventsError.class,
                () -> render(log, EventFilter.none(), render, 2));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void aRareFiltersValueIsSearchedForAndOnlyItsLinesRead() {
        String log = log(6000);
        // a bad line without the value is never read (as the line-by-line check skips it), one with it is
        String skipped = log.replace("\"c100\"", "\"c100\",}");
        EventFilter died = EventFilter.parse(List.of("event=died"), null, null, NOW);
        assertTrue(died.anchor(skipped.getBytes(StandardCharsets.UTF_8), 0, skipped.length()) != null, "died is rare enough to search for");
        for (int threads : new int[] {1, 2, 3}) {
            assertEquals(reference(skipped, List.of("event=died")), render(skipped, died, EventRenderer.human(true), threads));
            // the value elsewhere in a line (a name) leads to the line, whose status is then tested
            String named = log.replace("\"c101\"", "\"died\"");
            assertEquals(reference(named, List.of("event=died")), render(named, died, EventRenderer.human(true), threads));
            String bad = log.replace("\"c99\"", "\"c99\",\"died\"}");
            assertThrows(EventsError.class, () -> render(bad, died, EventRenderer.human(true), threads));
        }
        // a value in most lines is no anchor: every line is read
        EventFilter container = EventFilter.parse(List.of("type=container"), null, null, NOW);
        assertEquals(null, container.anchor(log.getBytes(StandardCharsets.UTF_8), 0, log.length()));
    }

    @Test
    void theInPlaceCheckSeesOnlyItsLine() {
        EventFilter died = EventFilter.parse(List.of("event=died"), null, null, NOW);
        String log = "{\"Status\":\"start\"}\n{\"Status\":\"died\"}\n{\"Status\":\"die\"}";
        int first = log.indexOf('\n');
        int second = log.indexOf('\n', first + 1);
        assertEquals(false, died.mayMatch(log, 0, first), "the next line's died is not this line's");
        assertEquals(true, died.mayMatch(log, first + 1, second));
        assertEquals(false, died.mayMatch(log, second + 1, log.length()), "a needle cut by the line's end");
        assertEquals(false, died.mayMatch(log, first + 1, second - 2), "the closing quote is outside the region");
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        assertEquals(false, died.mayMatch(bytes, 0, first), "the next line's died is not this line's (bytes)");
        assertEquals(true, died.mayMatch(bytes, first + 1, second));
        assertEquals(false, died.mayMatch(bytes, second + 1, bytes.length), "a needle cut by the line's end (bytes)");
        assertEquals(false, died.mayMatch(bytes, first + 1, second - 2), "the closing quote is outside the region (bytes)");
    }
}
