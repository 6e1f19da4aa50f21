package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
    private final String a = Fixtures.id('a');
    private final String b = Fixtures.id('b');
    private final String c = Fixtures.id('c');
    private final String d = Fixtures.id('d');

    private Map<String, Container> store(Container... cs) {
        Map<String, Container> m = new LinkedHashMap<>();
        for (Container x : cs) {
            m.put(x.id(), x);
        }
        return m;
    }

    @Test
    void dependenciesStartBeforeTheContainersThatNeedThem() {
        // d needs c and b; c needs a; b needs a
        Map<String, Container> s = store(Fixtures.container(a, "a", List.of()), Fixtures.container(b, "b", List.of(a)),
                Fixtures.container(c, "c", List.of(a)), Fixtures.container(d, "d", List.of(c, b)));
        assertEquals(List.of(a, c, b), DependencyGraph.startOrder(s.get(d), s::get));
        assertEquals(List.of(), DependencyGraph.startOrder(s.get(a), s::get));
    }

    @Test
    void aCycleIsAnErrorThatNamesAContainer() {
        Map<String, Container> s = store(Fixtures.container(a, "a", List.of(b)), Fixtures.container(b, "b", List.of(a)));
        BerthException e = assertThrows(BerthException.class, () -> DependencyGraph.startOrder(s.get(a), s::get));
        assertTrue(e.getMessage().contains("dependency cycle through container"), e.getMessage());
    }

    @Test
    void migrationOrderKeepsEveryRecordAndBreaksCycles() {
        List<Container> all = List.of(Fixtures.container(d, "d", List.of(c)), Fixtures.container(a, "a", List.of(b)),
                Fixtures.container(b, "b", List.of(a)), Fixtures.container(c, "c", List.of()));
        List<Container> order = DependencyGraph.dependenciesFirst(all);
        assertEquals(4, order.size());
        assertTrue(order.indexOf(all.get(3)) < order.indexOf(all.get(0)), "c before d");
    }

    @Test
    void aDependencyOutsideTheSetIsLeftOut() {
        List<Container> all = List.of(Fixtures.container(a, "a", List.of(Fixtures.id('z'))));
        assertEquals(List.of(all.get(0)), DependencyGraph.dependenciesFirst(all));
    }

    @Test
    void dependentsAreIndexedByTheContainerTheyNeed() {
        Map<String, List<String>> dep = DependencyGraph.dependents(List.of(Fixtures.container(a, "a", List.of()),
                Fixtures.container(b, "b", List.of(a)), Fixtures.container(c, "c", List.of(a, b))));
        assertEquals(List.of(b, c), dep.get(a));
        assertEquals(List.of(c), dep.get(b));
        assertEquals(null, dep.get(c));
    }
}
