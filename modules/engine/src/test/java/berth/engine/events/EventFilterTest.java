package berth.engine.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** podman's filters.go: keys AND, values of one key OR; since/until strictly after/before. */
class EventFilterTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static Event container(String status, String id, String name, int minute, Map<String, String> labels) {
        return new Event(OffsetDateTime.of(2026, 12, 3, 11, minute, 0, 0, ZoneOffset.UTC), EventType.CONTAINER, status, id, name, "img", "", 0,
                "", "", labels);
    }

    private static final List<Event> LOG = List.of(
            container("create", "aaa111", "foo", 1, Map.of("app", "web")),
            container("start", "aaa111", "foo", 2, Map.of("app", "web")),
            container("start", "bbb222", "bar", 3, Map.of("app", "db")),
            container("died", "bbb222", "bar", 4, Map.of()),
            new Event(OffsetDateTime.of(2026, 12, 3, 11, 5, 0, 0, ZoneOffset.UTC), EventType.IMAGE, "pull", "ccc333", "busybox", "", "", 0, "", "",
                    null),
            new Event(OffsetDateTime.of(2026, 12, 3, 11, 6, 0, 0, ZoneOffset.UTC), EventType.VOLUME, "create", "", "vol1", "", "", 0, "", "",
                    null));

    private static String pass(List<String> filters, String since, String until) {
        EventFilter f = EventFilter.parse(filters, since, until, NOW);
        return LOG.stream().filter(f).map(e -> e.status() + ":" + e.name()).collect(Collectors.joining(","));
    }

    @Test
    void sameKeyOrsDifferentKeysAnd() {
        assertEquals("start:foo,start:bar", pass(List.of("container=foo", "container=bar", "event=start"), null, null));
        assertEquals("create:foo,start:foo", pass(List.of("container=foo", "type=container"), null, null));
        assertEquals("start:foo", pass(List.of("label=app=web", "status=start"), null, null));
        assertEquals("", pass(List.of("type=image", "type=container", "event=remove"), null, null));
        assertEquals("pull:busybox,create:vol1", pass(List.of("type=image", "type=volume"), null, null));
    }

    @Test
    void keysMatchInAnyCaseButGroupAsWritten() {
        // podman keys the map by the key as written: CONTAINER and container are two keys, so both must match
        assertEquals("", pass(List.of("CONTAINER=foo", "container=bar"), null, null));
        assertEquals("create:foo,start:foo", pass(List.of("Container=foo"), null, null));
    }

    @Test
    void containerByNameOrIdPrefixImageVolumeAndLabel() {
        assertEquals("start:bar,died:bar", pass(List.of("container=bbb"), null, null));
        assertEquals("pull:busybox", pass(List.of("image=busybox"), null, null));
        assertEquals("pull:busybox", pass(List.of("image=ccc"), null, null));
        assertEquals("create:vol1", pass(List.of("volume=vol"), null, null));
        assertEquals("", pass(List.of("label=app"), null, null));
        assertEquals("start:bar", pass(List.of("label=app=db"), null, null));
    }

    @Test
    void sinceAndUntilAreStrict() {
        assertEquals("died:bar,pull:busybox,create:vol1", pass(List.of(), "2026-12-03T11:03:00Z", null));
        assertEquals("create:foo,start:foo", pass(List.of(), null, "2026-12-03T11:03:00Z"));
        assertEquals("start:bar", pass(List.of(), "2026-12-03T11:02:00Z", "2026-12-03T11:04:00Z"));
        assertEquals("died:bar,pull:busybox,create:vol1", pass(List.of(), "57m", null));
        assertEquals("pull:busybox", pass(List.of("type=image"), "1h", "1m"));
    }

    @Test
    void badFiltersArePodmansErrors() {
        assertEquals("failed to parse event filters: foo is an invalid filter",
                assertThrows(EventsError.class, () -> pass(List.of("foo=bar"), null, null)).getMessage());
        assertEquals("failed to parse event filters: nokey is an invalid filter",
                assertThrows(EventsError.class, () -> pass(List.of("nokey"), null, null)).getMessage());
        assertEquals("failed to parse event filters: network is an invalid filter",
                assertThrows(EventsError.class, () -> pass(List.of("network=podman"), null, null)).getMessage());
        EventsError since = assertThrows(EventsError.class, () -> pass(List.of(), "yesterday", null));
        assertEquals("failed to parse event filters: unable to convert since time of yesterday: unable to interpret time value", since.getMessage());
        assertEquals(125, since.exitCode());
        assertTrue(Stream.of("until").allMatch(k -> assertThrows(EventsError.class, () -> pass(List.of(), null, "x")).getMessage()
                .contains("unable to convert until time of x")));
    }

    @Test
    void untilIsKeptForStreams() {
        assertEquals(Instant.parse("2026-12-03T12:10:00Z"), EventFilter.parse(List.of(), null, "10m", NOW).until());
        assertFalse(EventFilter.none().until() != null);
    }
}
