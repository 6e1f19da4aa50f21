package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lines printed from the log's bytes ({@link EventLineScan}, {@link EventLineWriter}) are the
 * lines printed from each decoded {@link Event}, byte for byte, for every format that has a byte
 * path; and the plain lines podman writes do take that path.
 */
class EventLineScanTest {
    private static final String[] TEXT = {"", "a", "web", "c1", "quay.io/libpod/testimage:20221018", "sha256:" + "ab".repeat(32), "x y",
        "a<b", "a&b", "a>b", "q\"uote", "back\\slash", "tab\there", "new\nline", "é", "日本", "\u2028", "😀", "ctl\u0001", "/path/x",
        "k=v", "1.27.0"};
    private static final List<EventRenderer> FORMATS = List.of(EventRenderer.human(false), EventRenderer.human(true), EventRenderer.json());

    /** Every kind of filter, tested on scanned lines and on decoded events. */
    private static final List<EventFilter> FILTERS = List.of(EventFilter.none(),
            filter("event=died", "label=w1=w2"), filter("type=container"), filter("container=w1", "container=w2"), filter("container=sha256:"),
            filter("image=w1"), filter("image=quay.io/libpod/testimage:20221018"), filter("pod=w2"), filter("volume=w"), filter("type=image"),
            filter("label=w1=w2", "label=w2=w3"), filter("label=w1"), filter("label=w1="), filter("status=w0", "event=w3"),
            filter("container=é"), filter("label=é=日本"), filter("event="), filter("volume="),
            EventFilter.parse(List.of("type=container"), "2010-01-01T00:00:00Z", null, java.time.Instant.EPOCH),
            EventFilter.parse(List.of(), "2010-01-01T00:00:00Z", "2020-06-01T00:00:00.5Z", java.time.Instant.EPOCH));

    private static EventFilter filter(String... filters) {
        return EventFilter.parse(List.of(filters), null, null, java.time.Instant.EPOCH);
    }

    private static String pick(Random r) {
        return r.nextInt(3) == 0 ? TEXT[r.nextInt(TEXT.length)] : "w" + r.nextInt(r.nextBoolean() ? 4 : 1000);
    }

    private static Event randomEvent(Random r) {
        EventType type = EventType.values()[r.nextInt(EventType.values().length)];
        int nanos = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            default -> r.nextInt(1_000_000_000);
        };
        ZoneOffset offset = r.nextInt(6) == 0 ? ZoneOffset.ofHoursMinutes(2, 30) : ZoneOffset.UTC;
        OffsetDateTime t = OffsetDateTime.of(1999 + r.nextInt(30), 1 + r.nextInt(12), 1, r.nextInt(24), r.nextInt(60), r.nextInt(60), nanos, offset)
                .plusDays(r.nextInt(31));
        Map<String, String> attributes = null;
        if (r.nextInt(4) != 0) {
            attributes = new LinkedHashMap<>();
            for (int k = r.nextInt(5); k > 0; k--) {
                attributes.put(pick(r), pick(r));
            }
        }
        int exit = r.nextInt(3) == 0 ? r.nextInt(300) - 10 : 0;
        String id = r.nextBoolean() ? "%064x".formatted(r.nextLong()) : pick(r);
        return new Event(t, type, r.nextBoolean() ? "died" : pick(r), id, pick(r), r.nextBoolean() ? "" : pick(r), r.nextBoolean() ? "" : pick(r),
                exit, r.nextInt(4) == 0 ? pick(r) : "", r.nextInt(4) == 0 ? pick(r) : "", attributes);
    }

    /** What the Event way prints for a log, or the error it throws. */
    private static String expected(String log, EventFilter filter, EventRenderer render) {
        try {
            return EventRenderingTest.reference(log, filter, render);
        } catch (IllegalArgumentException e) {
            return "error";
        }
    }

    private static String actual(String log, EventFilter filter, EventRenderer render) {
        try {
            return EventRenderingTest.render(log, filter, render, 1);
        } catch (EventsError e) {
            return "error";
        }
    }

    private static void assertSame(String line) {
        for (EventRenderer f : FORMATS) {
            for (EventFilter filter : FILTERS) {
                assertEquals(expected(line + "\n", filter, f), actual(line + "\n", filter, f), line + " as " + f);
            }
        }
    }

    private static boolean scans(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return new EventLineScan().scan(b, 0, b.length) == b.length;
    }

    @Test
    void randomEventsPrintAsTheirDecodedEvents() {
        Random r = new Random(14);
        int plain = 0;
        for (int n = 0; n < 3000; n++) {
            String line = EventCodec.encode(randomEvent(r));
            assertSame(line);
            if (scans(line)) {
                plain++;
            }
        }
        assertTrue(plain > 300, "the byte path took " + plain + " of 3000 lines");
        // and the filters pass some of the lines the byte path takes (else the comparison above proves little)
        StringBuilder log = new StringBuilder();
        for (int n = 0; n < 3000; n++) {
            String line = EventCodec.encode(randomEvent(r));
            if (scans(line)) {
                log.append(line).append('\n');
            }
        }
        for (EventFilter f : FILTERS.subList(0, 11)) { // the 12th, a label without a value, passes nothing
            String out = EventRenderingTest.render(log.toString(), f, EventRenderer.human(false), 1);
            assertTrue(!out.isEmpty(), "nothing passes " + FILTERS.indexOf(f));
        }
    }

    @Test
    void podmansPlainLinesTakeTheBytePath() {
        String[] lines = {
            "{\"ID\":\"3f372617f0baef3a86f0ce2ea6ec39c1c15521b1b3dca50a9daa37e51b591d75\",\"Image\":\"quay.io/libpod/testimage:20221018\","
                    + "\"Name\":\"c1\",\"Status\":\"create\",\"Time\":\"2026-12-01T08:00:00.771841261Z\",\"Type\":\"container\","
                    + "\"Attributes\":{\"app\":\"db\",\"io.buildah.version\":\"1.27.0\",\"tier\":\"1\"}}",
            "{\"ContainerExitCode\":137,\"ID\":\"3f37\",\"Image\":\"i\",\"Name\":\"c1\",\"Status\":\"died\",\"Time\":\"2026-12-01T08:00:00Z\","
                    + "\"Type\":\"container\",\"Attributes\":{}}",
            "{\"ID\":\"ab\",\"Name\":\"quay.io/libpod/alpine:latest\",\"Status\":\"pull\",\"Time\":\"2026-12-01T08:00:00.5Z\",\"Type\":\"image\",\"Attributes\":null}",
            "{\"Name\":\"vol1\",\"Status\":\"create\",\"Time\":\"2026-12-01T08:00:00.5Z\",\"Type\":\"volume\",\"Attributes\":null}",
            "{\"ID\":\"ab\",\"Name\":\"c\",\"network\":\"podman\",\"Status\":\"connect\",\"Time\":\"2024-02-29T23:59:59.000000001Z\",\"Type\":\"network\",\"Attributes\":null}",
        };
        for (String line : lines) {
            assertTrue(scans(line), line);
            assertSame(line);
        }
        assertEquals(lines[0] + "\n", EventRenderingTest.render(lines[0] + "\n", EventFilter.none(), EventRenderer.json(), 1));
    }

    @Test
    void otherShapesGoTheDecodersWayAndPrintTheSame() {
        String base = "{\"ID\":\"ab\",\"Name\":\"c\",\"Status\":\"died\",\"Time\":\"2026-12-01T08:00:00.5Z\",\"Type\":\"container\","
                + "\"Attributes\":{\"a\":\"1\",\"b\":\"2\"}}";
        List<String> odd = new ArrayList<>(List.of(
                base.replace("\"ID\"", "\"id\"").replace("\"Type\"", "\"TYPE\""), // keys in any case (still plain)
                base.replace(",\"", " ,\t\"").replace("\":", "\" : ").replace("{", "{ "), // whitespace
                base.replace("{\"ID\"", "{\"Extra\":\"x\",\"ID\""), // an unknown key
                base.replace("{\"ID\"", "{\"Extra\":1,\"ID\""), // an unknown key, not a string
                base.replace("08:00:00.5Z", "08:00:00.500Z"), // trailing zeros in the fraction
                base.replace("08:00:00.5Z", "08:00:00.000Z"),
                base.replace("08:00:00.5Z", "08:00:00.5+00:00"),
                base.replace("08:00:00.5Z", "08:00:00.5+02:00"),
                base.replace("08:00:00.5Z", "08:00:00.Z"),
                base.replace("08:00:00.5Z", "08:00:00.1234567891Z"),
                base.replace("2026-12-01", "2026-02-29"), // no such day
                base.replace("2026-12-01", "2026-13-01"),
                base.replace("08:00:00", "24:00:00"),
                base.replace("08:00:00", "08:00:60"),
                base.replace("\"a\":\"1\",\"b\":\"2\"", "\"b\":\"2\",\"a\":\"1\""), // labels out of order
                base.replace("\"a\":\"1\",\"b\":\"2\"", "\"a\":\"1\",\"a\":\"2\""), // a label twice
                base.replace("{\"ID\":\"ab\"", "{\"ID\":\"ab\",\"ID\":\"cd\""), // a key twice
                base.replace("\"Attributes\":{\"a\":\"1\",\"b\":\"2\"}", "\"Attributes\":{\"a\":\"1\"},\"Attributes\":null"),
                base.replace("{\"ID\"", "{\"ContainerExitCode\":007,\"ID\""),
                base.replace("{\"ID\"", "{\"ContainerExitCode\":-0,\"ID\""),
                base.replace("{\"ID\"", "{\"ContainerExitCode\":-3,\"ID\""),
                base.replace("{\"ID\"", "{\"ContainerExitCode\":1.5,\"ID\""),
                base.replace("{\"ID\"", "{\"ContainerExitCode\":12345678901,\"ID\""),
                base.replace("\"ab\"", "null"),
                base.replace("\"ab\"", "\"a\\u003cb\""),
                base.replace("\"ab\"", "\"sha256:0123456789abcdef0123\""),
                base.replace("\"c\"", "\"é\""),
                base.replace("\"container\"", "\"bogus\""),
                base.replace("\"container\"", "\"pod\""),
                base.replace("\"container\"", "\"system\""),
                base.replace("\"container\"", "\"machine\""),
                base.replace(",\"Time\":\"2026-12-01T08:00:00.5Z\"", ""),
                base + " ",
                base + "\r",
                base + "x",
                base.substring(0, base.length() - 1),
                "{}",
                "{\"Time\":\"2026-12-01T08:00:00Z\",\"Type\":\"system\",\"Status\":\"refresh\"}",
                "{\"Time\":\"2026-12-01T08:00:00Z\",\"Type\":\"system\"}", // no status: "" (an event= filter passes it)
                "{\"Time\":\"2026-12-01T08:00:00Z\",\"Type\":\"volume\"}",
                "not json"));
        for (String line : odd) {
            assertSame(line);
        }
        assertTrue(scans(odd.get(0)) && scans(odd.get(1)) && scans(odd.get(2)) && scans(odd.get(4)));
        String noStatus = "{\"Time\":\"2026-12-01T08:00:00Z\",\"Type\":\"system\"}";
        assertTrue(scans(noStatus));
        assertEquals(1, EventRenderingTest.render(noStatus + "\n", filter("event="), EventRenderer.human(false), 1).lines().count());
        assertFalse(scans(odd.get(6)) || scans(odd.get(14)) || scans(odd.get(16)) || scans(odd.get(24)) || scans(odd.get(26)));
    }

    @Test
    void aLabelFilterTestsTheScannedEvent() {
        String line = "{\"ID\":\"ab\",\"Name\":\"c\",\"Status\":\"died\",\"Time\":\"2026-12-01T08:00:00.5Z\",\"Type\":\"container\","
                + "\"Attributes\":{\"w1\":\"w2\"}}\n";
        EventFilter f = EventFilter.parse(List.of("label=w1=w2"), null, null, java.time.Instant.EPOCH);
        assertEquals(1, EventRenderingTest.render(line, f, EventRenderer.human(true), 1).lines().count());
        EventFilter other = EventFilter.parse(List.of("label=w1=w3"), null, null, java.time.Instant.EPOCH);
        assertEquals("", EventRenderingTest.render(line, other, EventRenderer.human(true), 1));
        assertThrows(EventsError.class, () -> EventRenderingTest.render("{bad\n", f, EventRenderer.human(true), 1));
    }
}
