package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.Volume;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@code volume ls --filter}: podman's keys; one key's values match any, different keys all. */
class VolumeFilterTest {
    private static Volume vol(String name, Map<String, String> labels) {
        return new Volume(name, "local", "/v/" + name + "/_data", labels, Map.of(), Instant.EPOCH, false, false, 0, 0);
    }

    private static Predicate<Volume> f(String... filters) {
        return VolumeCommands.filter(List.of(filters), null, "volume ls"); // no dangling filter: the engine is not asked
    }

    @Test
    void nameIsARegexAndLabelsMatchByKeyOrKeyValue() {
        Volume web = vol("web_1_data", Map.of("app", "web", "tier", "front"));
        Volume db = vol("db_1_data", Map.of("app", "db"));
        assertTrue(f("name=web_1.+").test(web));
        assertFalse(f("name=web_1.+").test(db));
        assertTrue(f("name=^db", "name=^web").test(db), "several values of one key: any");
        assertTrue(f("label=tier").test(web));
        assertFalse(f("label=tier").test(db));
        assertTrue(f("label=app=db").test(db));
        assertFalse(f("label=app=db", "name=web").test(web), "different keys: all");
        assertTrue(f("driver=local").test(web));
        assertFalse(f("label!=app=web").test(web));
    }

    @Test
    void unknownKeysAndMalformedFiltersAreRefused() {
        BerthException e = assertThrows(BerthException.class, () -> f("color=red"));
        assertEquals("\"color\" is an invalid volume filter: invalid argument", e.getMessage());
        assertThrows(BerthException.class, () -> f("name"));
    }

    @Test
    void tableHeaderNamesTheFields() {
        assertEquals("NAME\tDRIVER", VolumeCommands.header("{{.Name}}\t{{ .Driver }}"));
    }
}
