package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log's lines as podman 4.3.1 writes them (copied from a log podman wrote on this machine). */
class EventCodecTest {
    static final String PODMAN_CREATE = "{\"ID\":\"01755c424c528670c5a3a07d7e62d950037037c3164566711b055307679d512b\","
            + "\"Image\":\"localhost/evtest:1\",\"Name\":\"c1\",\"Status\":\"create\",\"Time\":\"2026-12-03T12:52:49.090626487Z\","
            + "\"Type\":\"container\",\"Attributes\":{\"a\":\"b\",\"org.berth.test\":\"1\"}}";
    static final String PODMAN_PULL = "{\"Name\":\"localhost/evtest:1\",\"Status\":\"pull\",\"Time\":\"2026-12-03T12:52:49.003391427Z\","
            + "\"Type\":\"image\",\"Attributes\":null}";
    static final String PODMAN_TAG = "{\"ID\":\"bc7595fc7c449add8917573fb3b25edecc800847270ff44e4d642e6e04c5ff3f\",\"Name\":\"localhost/evtest:2\","
            + "\"Status\":\"tag\",\"Time\":\"2026-12-03T12:52:52.32055888Z\",\"Type\":\"image\",\"Attributes\":null}";
    static final String PODMAN_VOLUME = "{\"Name\":\"v1\",\"Status\":\"create\",\"Time\":\"2026-12-03T12:52:52.741814254Z\",\"Type\":\"volume\","
            + "\"Attributes\":null}";

    @Test
    void podmansLinesRoundTripByteForByte() {
        for (String line : new String[] {PODMAN_CREATE, PODMAN_PULL, PODMAN_TAG, PODMAN_VOLUME}) {
            assertEquals(line, EventCodec.encode(EventCodec.decode(line)));
        }
    }

    @Test
    void decodedFieldsAreThePodmanOnes() {
        Event e = EventCodec.decode(PODMAN_CREATE);
        assertEquals(EventType.CONTAINER, e.type());
        assertEquals("create", e.status());
        assertEquals("c1", e.name());
        assertEquals("localhost/evtest:1", e.image());
        assertEquals(Map.of("a", "b", "org.berth.test", "1"), e.attributes());
        assertEquals(OffsetDateTime.of(2026, 12, 3, 12, 52, 49, 90626487, ZoneOffset.UTC), e.time());
        assertNull(EventCodec.decode(PODMAN_PULL).attributes());
    }

    @Test
    void diedCarriesTheExitCodeFirstAndNetworkEventsTheirNetwork() {
        OffsetDateTime t = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000, ZoneOffset.ofHours(2));
        Event died = new Event(t, EventType.CONTAINER, "died", "abc", "n", "img", "", 17, "", "", Map.of("l", "v"));
        assertEquals("{\"ContainerExitCode\":17,\"ID\":\"abc\",\"Image\":\"img\",\"Name\":\"n\",\"Status\":\"died\","
                + "\"Time\":\"2026-01-02T03:04:05.6+02:00\",\"Type\":\"container\",\"Attributes\":{\"l\":\"v\"}}", EventCodec.encode(died));
        Event net = new Event(t, EventType.NETWORK, "connect", "abc", "n", "", "podman", 0, "", "", null);
        assertEquals("{\"ID\":\"abc\",\"Name\":\"n\",\"network\":\"podman\",\"Status\":\"connect\",\"Time\":\"2026-01-02T03:04:05.6+02:00\","
                + "\"Type\":\"network\",\"Attributes\":null}", EventCodec.encode(net));
        assertEquals(died, EventCodec.decode(EventCodec.encode(died)));
        assertEquals(net, EventCodec.decode(EventCodec.encode(net)));
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("html", "<a href=\"x\">&</a>");
        labels.put("ctl", "tab\tnl\nbell\u0007back\\ ls\u2028");
        labels.put("uni", "caf\u00e9 \ud83d\ude00");
        Event e = new Event(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), EventType.CONTAINER, "start", "id", "n", "", "", 0,
                "", "", labels);
        String line = EventCodec.encode(e);
        assertEquals("{\"ID\":\"id\",\"Name\":\"n\",\"Status\":\"start\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"container\","
                + "\"Attributes\":{\"ctl\":\"tab\\tnl\\nbell\\u0007back\\\\ ls\\u2028\",\"html\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\","
                + "\"uni\":\"caf\u00e9 \ud83d\ude00\"}}", line);
        assertEquals(e, EventCodec.decode(line));
    }

    @Test
    void keysMatchCaseInsensitivelyAsGosDecoderDoes() {
        Event e = EventCodec.decode("{\"name\":\"v\",\"status\":\"remove\",\"time\":\"2022-04-06T11:26:42.723667900+02:00\",\"type\":\"volume\"}");
        assertEquals("v", e.name());
        assertEquals(ZoneOffset.ofHours(2), e.time().getOffset());
        assertEquals(723667900, e.time().getNano());
    }

    @Test
    void anUnknownTypeOrBrokenLineIsAnError() {
        assertEquals("event type bogus is not valid", assertThrows(IllegalArgumentException.class,
                () -> EventCodec.decode("{\"Status\":\"x\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"bogus\"}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode("{\"Status\":"));
    }

    @Test
    void humanReadableIsPodmansToHumanReadable() {
        Event create = EventCodec.decode(PODMAN_CREATE);
        assertEquals("2026-12-03 12:52:49.090626487 +0000 UTC container create 01755c424c528670c5a3a07d7e62d950037037c3164566711b055307679d512b"
                + " (image=localhost/evtest:1, name=c1, a=b, org.berth.test=1)", create.humanReadable(false));
        assertEquals("2026-12-03 12:52:49.090626487 +0000 UTC container create 01755c424c52 (image=localhost/evtest:1, name=c1, a=b,"
                + " org.berth.test=1)", create.humanReadable(true));
        assertEquals("2026-12-03 12:52:49.003391427 +0000 UTC image pull  localhost/evtest:1", EventCodec.decode(PODMAN_PULL).humanReadable(false));
        assertEquals("2026-12-03 12:52:52.32055888 +0000 UTC image tag bc7595fc7c449add8917573fb3b25edecc800847270ff44e4d642e6e04c5ff3f"
                + " localhost/evtest:2", EventCodec.decode(PODMAN_TAG).humanReadable(false));
        assertEquals("2026-12-03 12:52:52.741814254 +0000 UTC volume create v1", EventCodec.decode(PODMAN_VOLUME).humanReadable(false));
        Event net = new Event(OffsetDateTime.of(2026, 1, 1, 0, 0, 1, 0, ZoneOffset.UTC), EventType.NETWORK, "disconnect", "abc", "n", "", "net1",
                0, "", "", null);
        assertEquals("2026-01-01 00:00:01 +0000 UTC network disconnect abc (container=abc, name=net1)", net.humanReadable(false));
        Event rot = new Event(OffsetDateTime.of(2026, 1, 1, 0, 0, 1, 0, ZoneOffset.ofHours(5)), EventType.SYSTEM, "log-rotation", "", "/x",
                "", "", 0, "", "", null);
        assertEquals("2026-01-01 00:00:01 +0500 +0500 system log-rotation /x", rot.humanReadable(false));
    }

    @Test
    void theFastLineParserAgreesWithTheGenericOne() {
        String[] lines = {
            PODMAN_CREATE, PODMAN_PULL, PODMAN_TAG, PODMAN_VOLUME,
            "{\"ContainerExitCode\":-1,\"ID\":\"x\",\"Status\":\"died\",\"Time\":\"2026-01-01T00:00:00.5+05:30\",\"Type\":\"container\",\"Attributes\":{}}",
            " { \"name\" : \"v\" , \"status\":\"remove\",\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"volume\",\"Extra\":\"ignored\",\"Attributes\":null } ",
            "{\"Name\":\"q\\\"\\u003cx\\u003e\\n\",\"Status\":\"create\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"volume\",\"Attributes\":{\"k\\u0026\":\"v\\\\\"}}",
            "{\"ID\":\"a\",\"Name\":\"n\",\"network\":\"podman\",\"Status\":\"connect\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"network\",\"Attributes\":null}",
        };
        for (String line : lines) {
            Event fast = EventLineParser.parse(line);
            assertEquals(EventCodec.decodeGeneric(line), fast, line);
        }
        // shapes the fast path leaves to the generic parser, which decides alike
        String odd = "{\"ContainerExitCode\":1.0,\"Status\":\"died\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"container\",\"Attributes\":{}}";
        assertNull(EventLineParser.parse(odd));
        assertEquals(1, EventCodec.decode(odd).exitCode());
        assertNull(EventLineParser.parse("{\"Status\":\"x\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"container\"} trailing"));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.decode("{\"Status\":\"x\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"container\"} trailing"));
    }

    @Test
    void keysWithEscapesOrOtherLettersAreMatchedAsBefore() {
        String[] lines = {
            "{\"\\u0049D\":\"x\",\"STATUS\":\"died\",\"tIME\":\"2026-01-01T00:00:00Z\",\"Type\":\"container\",\"attributes\":{\"a\":\"b\"}}",
            // the Kelvin sign lower-cases to k, and no key has one: an unknown key, ignored
            "{\"\u212a\":\"x\",\"Status\":\"s\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"volume\",\"Name\":\"v\"}",
            "{\"Na\\u006de\":\"v\",\"Status\":\"s\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"volume\",\"ContainerExitCode\":3}",
        };
        for (String line : lines) {
            assertEquals(EventCodec.decodeGeneric(line), EventLineParser.parse(line), line);
        }
        assertEquals("x", EventLineParser.parse(lines[0]).id());
        assertEquals("v", EventLineParser.parse(lines[2]).name());
    }

    @Test
    void aLineReadInPlaceIsReadAsTheSameLineAlone() {
        String[] lines = {PODMAN_CREATE, PODMAN_PULL, PODMAN_TAG, PODMAN_VOLUME,
            "{\"Name\":\"q\\\"\\u003cx\\u003e\",\"Status\":\"create\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"volume\",\"Attributes\":null}"};
        for (String line : lines) {
            String log = PODMAN_PULL + "\n" + line + "\n" + PODMAN_VOLUME;
            int from = PODMAN_PULL.length() + 1;
            assertEquals(EventLineParser.parse(line), EventLineParser.parse(log, from, from + line.length()), line);
            assertEquals(EventCodec.decode(line), EventCodec.decode(log, from, from + line.length()), line);
        }
    }

    @Test
    void aLineCutShortInALogIsNeverReadPastItsEnd() {
        // each prefix of a line, followed in the log by a whole line: the fast path must see only the
        // prefix (null, or what it reads alone) and decode must fail or agree with the prefix alone
        String next = "\n" + PODMAN_VOLUME + "\n";
        for (String line : new String[] {PODMAN_CREATE,
            "{\"Name\":\"a\\u0041\",\"Status\":\"s\",\"Time\":\"2026-01-01T00:00:00Z\",\"Type\":\"volume\",\"Attributes\":null}"}) {
            for (int cut = 0; cut < line.length(); cut++) {
                String prefix = line.substring(0, cut);
                String log = prefix + next;
                assertEquals(EventLineParser.parse(prefix), EventLineParser.parse(log, 0, cut), prefix);
                Event alone;
                try {
                    alone = EventCodec.decode(prefix);
                } catch (IllegalArgumentException e) {
                    alone = null;
                }
                Event inPlace;
                try {
                    inPlace = EventCodec.decode(log, 0, cut);
                } catch (IllegalArgumentException e) {
                    inPlace = null;
                }
                assertEquals(alone, inPlace, prefix);
            }
        }
    }
}
