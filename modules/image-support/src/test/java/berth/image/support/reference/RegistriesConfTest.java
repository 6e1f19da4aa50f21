package berth.image.support.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfTest {
    @TempDir
    Path tmp;

    private static final String MAIN = """
            unqualified-search-registries = ["registry.fedoraproject.org", "quay.io", "docker.io"]
            short-name-mode = "enforcing"

            [[registry]]
            prefix = "example.com/foo"
            location = "internal.example.com:5000/bar"
            insecure = true

            [[registry.mirror]]
            location = "mirror-a.local/foo"
            [[registry.mirror]]
            location = "mirror-b.local:8443/foo"
            insecure = true

            [[registry]]
            location = "blocked.io"
            blocked = true

            [[registry]]
            prefix = "*.wild.io"
            location = "central.wild.io"

            [[registry]]
            location = "digest-only.io"
            mirror-by-digest-only = true
            [[registry.mirror]]
            location = "digest-mirror.io"

            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"
            """;

    @Test
    void parsesV2() throws IOException {
        RegistriesConf c = RegistriesConf.parse(MAIN, "main.conf");
        assertEquals(List.of("registry.fedoraproject.org", "quay.io", "docker.io"), c.unqualifiedSearchRegistries());
        assertEquals("enforcing", c.shortNameMode());
        assertEquals(Map.of("fedora", "registry.fedoraproject.org/fedora"), c.aliases());
        RegistryEntry foo = c.find(ImageReference.parse("example.com/foo/app:1"));
        assertEquals("example.com/foo", foo.prefix());
        assertEquals("internal.example.com:5000/bar", foo.location());
        assertTrue(foo.insecure());
        assertEquals(List.of(new RegistryEntry.Mirror("mirror-a.local/foo", false), new RegistryEntry.Mirror("mirror-b.local:8443/foo", true)),
                foo.mirrors());
        assertNull(c.find(ImageReference.parse("example.com/foobar/app")), "a prefix ends at a path separator");
        assertEquals("blocked.io", c.find(ImageReference.parse("blocked.io/x")).prefix(), "the prefix defaults to the location");
    }

    @Test
    void rewritesPrefixesAndTriesMirrorsFirst() throws IOException {
        RegistriesConf c = RegistriesConf.parse(MAIN, "main.conf");
        ImageReference ref = ImageReference.parse("example.com/foo/app:1");
        RegistryEndpoint primary = c.endpointFor(ref);
        assertEquals("internal.example.com:5000/bar/app:1", primary.reference().toString());
        assertTrue(primary.insecure());
        assertFalse(primary.mirror());
        List<RegistryEndpoint> all = c.pullSources(ref);
        assertEquals(List.of("mirror-a.local/foo/app:1", "mirror-b.local:8443/foo/app:1", "internal.example.com:5000/bar/app:1"),
                all.stream().map(e -> e.reference().toString()).toList());
        assertEquals(List.of(false, true, true), all.stream().map(RegistryEndpoint::insecure).toList());

        assertEquals("central.wild.io/x/y:2", c.endpointFor(ImageReference.parse("eu.wild.io/x/y:2")).reference().toString());
        ImageReference unconfigured = ImageReference.parse("quay.io/a/b");
        assertEquals(unconfigured, c.endpointFor(unconfigured).reference());
        assertFalse(c.endpointFor(unconfigured).insecure());
    }

    @Test
    void mirrorByDigestOnly() throws IOException {
        RegistriesConf c = RegistriesConf.parse(MAIN, "main.conf");
        assertEquals(1, c.pullSources(ImageReference.parse("digest-only.io/a:1")).size());
        List<RegistryEndpoint> byDigest = c.pullSources(ImageReference.parse("digest-only.io/a@sha256:" + "0".repeat(64)));
        assertEquals("digest-mirror.io/a@sha256:" + "0".repeat(64), byDigest.get(0).reference().toString());
        assertEquals(2, byDigest.size());
    }

    @Test
    void blockedRegistryIsAnError() throws IOException {
        RegistriesConf c = RegistriesConf.parse(MAIN, "/etc/x/registries.conf");
        BerthException e = assertThrows(BerthException.class, () -> c.endpointFor(ImageReference.parse("blocked.io/a")));
        assertTrue(e.getMessage().contains("registry blocked.io is blocked in /etc/x/registries.conf"), e.getMessage());
    }

    @Test
    void dropInsOverrideInOrder() throws IOException {
        Path main = Files.writeString(tmp.resolve("registries.conf"), MAIN);
        Path d = Files.createDirectories(tmp.resolve("registries.conf.d"));
        Files.writeString(d.resolve("10-search.conf"), "unqualified-search-registries = [\"127.0.0.1:5000\"]\n");
        Files.writeString(d.resolve("20-override.conf"), """
                [[registry]]
                prefix = "example.com/foo"
                location = "replacement.io/foo"

                [aliases]
                "fedora" = "quay.io/fedora/fedora"
                "busybox" = "docker.io/library/busybox"
                """);
        Files.writeString(d.resolve("ignored.txt"), "not toml at all [[[");
        List<Path> files = RegistriesConf.defaultFiles(null, main, d);
        assertEquals(List.of(main, d.resolve("10-search.conf"), d.resolve("20-override.conf")), files);
        RegistriesConf c = RegistriesConf.load(files);
        assertEquals(List.of("127.0.0.1:5000"), c.unqualifiedSearchRegistries());
        assertEquals(d.resolve("10-search.conf").toString(), c.searchOrigin());
        assertEquals("replacement.io/foo/x:latest", c.endpointFor(ImageReference.parse("example.com/foo/x")).reference().toString());
        assertFalse(c.endpointFor(ImageReference.parse("example.com/foo/x")).insecure(), "the later table replaces the earlier whole");
        assertEquals("quay.io/fedora/fedora", c.aliases().get("fedora"));
        assertEquals("docker.io/library/busybox", c.aliases().get("busybox"));
        assertEquals("enforcing", c.shortNameMode(), "a drop-in that does not set it keeps it");
    }

    @Test
    void environmentVariableReplacesTheMainFile() throws IOException {
        Path own = Files.writeString(tmp.resolve("own.conf"), "unqualified-search-registries = [\"own.io\"]\n");
        Path main = Files.writeString(tmp.resolve("registries.conf"), MAIN);
        Path missingDir = tmp.resolve("no-such-dir");
        assertEquals(List.of(own), RegistriesConf.defaultFiles(own.toString(), main, missingDir));
        assertEquals(List.of(main), RegistriesConf.defaultFiles("", main, missingDir));
        assertEquals(List.of(), RegistriesConf.defaultFiles(tmp.resolve("missing.conf").toString(), main, missingDir));
    }

    @Test
    void environmentVariableInAChildJvm() throws Exception {
        // the real CONTAINERS_REGISTRIES_CONF path: defaultFiles() reads the environment itself
        Path own = Files.writeString(tmp.resolve("own.conf"), "unqualified-search-registries = [\"own.io\"]\n");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path src = Files.writeString(tmp.resolve("Probe.java"), """
                public class Probe {
                    public static void main(String[] a) throws Exception {
                        var m = Class.forName("berth.image.support.reference.RegistriesConf").getMethod("defaultFiles");
                        System.out.print(m.invoke(null));
                    }
                }
                """);
        String cp = System.getProperty("jdk.module.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", cp, src.toString()).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_REGISTRIES_CONF", own.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("[" + own), out);
    }

    @Test
    void parsesV1() throws IOException {
        RegistriesConf c = RegistriesConf.parse("""
                [registries.search]
                registries = ["quay.io", "docker.io"]
                [registries.insecure]
                registries = ["10.0.0.1:5000"]
                [registries.block]
                registries = ["bad.io"]
                """, "v1.conf");
        assertEquals(List.of("quay.io", "docker.io"), c.unqualifiedSearchRegistries());
        assertTrue(c.isInsecure("10.0.0.1:5000"));
        assertFalse(c.isInsecure("quay.io"));
        assertThrows(BerthException.class, () -> c.endpointFor(ImageReference.parse("bad.io/x")));
    }

    @Test
    void rejectsBadFiles() {
        assertThrows(IOException.class, () -> RegistriesConf.parse("[[registry]]\ninsecure = true\n", "x"));
        assertThrows(IOException.class, () -> RegistriesConf.parse("[[registry]]\nlocation = \"https://x.io\"\n", "x"));
        assertThrows(IOException.class, () -> RegistriesConf.parse("short-name-mode = \"sometimes\"\n", "x"));
        assertThrows(IOException.class, () -> RegistriesConf.parse("[aliases]\n\"x\" = \"y\"\n", "x"), "an alias must be qualified");
        assertThrows(IOException.class, () -> RegistriesConf.parse("[aliases]\n\"x\" = \"q.io/y:1\"\n", "x"), "no tag in an alias");
        IOException e = assertThrows(IOException.class, () -> RegistriesConf.parse("this is = = not toml", "/etc/bad.conf"));
        assertTrue(e.getMessage().contains("/etc/bad.conf"), e.getMessage());
        assertThrows(IOException.class, () -> RegistriesConf.parse("[[registry]]\nprefix = \"*.x.io/ns\"\n", "x"));
    }

    @Test
    void readsThePackagedShortnamesConf() throws IOException {
        // the file podman ships (installed here with podman): every alias in it parses
        Path shipped = Path.of("/etc/containers/registries.conf.d/shortnames.conf");
        assertTrue(Files.isRegularFile(shipped), "podman's shortnames.conf is missing: " + shipped);
        RegistriesConf c = RegistriesConf.load(List.of(shipped));
        assertEquals("docker.io/library/alpine", c.aliases().get("alpine"));
        assertTrue(c.aliases().size() > 20, "aliases: " + c.aliases().size());
    }
}
