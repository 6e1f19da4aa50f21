package berth.image.support.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import berth.kernel.error.BerthException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShortNamesTest {
    private static final String D = "sha256:" + "cd".repeat(32);

    private static List<String> strings(List<ImageReference> refs) {
        return refs.stream().map(ImageReference::toString).toList();
    }

    @Test
    void searchRegistriesInOrder() throws IOException {
        ShortNames s = new ShortNames(RegistriesConf.parse("unqualified-search-registries = [\"quay.io\", \"docker.io\"]", "r.conf"));
        assertEquals(List.of("quay.io/busybox:1", "docker.io/library/busybox:1"), strings(s.candidates("busybox:1")));
        assertEquals(List.of("quay.io/busybox@" + D, "docker.io/library/busybox@" + D), strings(s.candidates("busybox@" + D)));
        assertEquals(List.of("localhost:5000/x:latest"), strings(s.candidates("localhost:5000/x")), "a qualified name is itself");
        assertEquals(List.of("docker.io/library/busybox:latest"), strings(s.candidates("docker.io/busybox")));
    }

    @Test
    void anAliasWinsAlone() throws IOException {
        ShortNames s = new ShortNames(RegistriesConf.parse("""
                unqualified-search-registries = ["quay.io", "docker.io"]
                [aliases]
                "busybox" = "docker.io/library/busybox"
                "tools/x" = "quay.io/tools/x"
                """, "r.conf"));
        assertEquals(List.of("docker.io/library/busybox:latest"), strings(s.candidates("busybox")));
        assertEquals(List.of("docker.io/library/busybox:1.36"), strings(s.candidates("busybox:1.36")));
        assertEquals(List.of("docker.io/library/busybox@" + D), strings(s.candidates("busybox@" + D)));
        assertEquals(List.of("quay.io/tools/x:2"), strings(s.candidates("tools/x:2")));
        assertEquals(List.of("docker.io/library/busybox:latest", "localhost/busybox:latest", "quay.io/busybox:latest"),
                strings(s.localCandidates("busybox")), "local lookup: alias, localhost/, then the search registries");
    }

    @Test
    void noSearchRegistriesIsPodmansError() throws IOException {
        ShortNames s = new ShortNames(RegistriesConf.parse("[aliases]\n\"a\" = \"quay.io/a\"\n", "/etc/containers/registries.conf"));
        BerthException e = assertThrows(BerthException.class, () -> s.candidates("busybox"));
        assertEquals("short-name \"busybox\" did not resolve to an alias and no unqualified-search registries are defined in "
                + "\"/etc/containers/registries.conf\": image transfer failed", e.getMessage());
        BerthException none = assertThrows(BerthException.class, () -> new ShortNames(RegistriesConf.EMPTY).candidates("busybox"));
        assertEquals("short-name \"busybox\" did not resolve to an alias and no containers-registries.conf(5) was found: image transfer failed",
                none.getMessage());
    }

    @Test
    void invalidInputIsRejectedBeforeLookup() throws IOException {
        ShortNames s = new ShortNames(RegistriesConf.parse("unqualified-search-registries = [\"quay.io\"]", "r.conf"));
        assertThrows(BerthException.class, () -> s.candidates("BusyBox"));
    }
}
