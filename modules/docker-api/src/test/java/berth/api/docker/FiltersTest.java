package berth.api.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void bothShapesOfTheFiltersParameter() {
        assertEquals(Map.of("label", List.of("a=b")), Filters.parse("{\"label\":[\"a=b\"]}"));
        assertEquals(Map.of("label", List.of("a=b")), Filters.parse("{\"label\":{\"a=b\":true}}"));
        assertEquals(Map.of(), Filters.parse(null));
        assertEquals(400, assertThrows(ApiError.class, () -> Filters.parse("{\"label\":")).status());
    }

    @Test
    void labels() {
        assertTrue(Filters.labelMatches("a", Map.of("a", "1")));
        assertTrue(Filters.labelMatches("a=1", Map.of("a", "1")));
        assertFalse(Filters.labelMatches("a=2", Map.of("a", "1")));
    }
}
