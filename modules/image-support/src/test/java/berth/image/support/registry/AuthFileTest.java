package berth.image.support.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFileTest {
    @TempDir
    Path tmp;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void searchOrderFollowsContainersAuth() {
        Path explicit = Path.of("/x/auth.json");
        assertEquals(List.of(explicit, Path.of("/home/u/.docker/config.json"), Path.of("/home/u/.dockercfg")),
                AuthFile.searchPath(explicit, Map.of("HOME", "/home/u", "REGISTRY_AUTH_FILE", "/y.json")));
        assertEquals(Path.of("/y.json"), AuthFile.searchPath(null, Map.of("HOME", "/h", "REGISTRY_AUTH_FILE", "/y.json")).get(0));
        assertEquals(Path.of("/run/user/1000/containers/auth.json"),
                AuthFile.searchPath(null, Map.of("HOME", "/h", "XDG_RUNTIME_DIR", "/run/user/1000")).get(0));
        assertTrue(AuthFile.searchPath(null, Map.of("HOME", "/h")).get(0).toString().matches("/run/containers/\\d+/auth.json"));
    }

    @Test
    void mostSpecificKeyWins() throws IOException {
        Path f = Files.writeString(tmp.resolve("auth.json"), "{\"auths\":{"
                + "\"quay.io\":{\"auth\":\"" + b64("host:1") + "\"},"
                + "\"quay.io/team\":{\"auth\":\"" + b64("team:2") + "\"},"
                + "\"quay.io/team/app\":{\"auth\":\"" + b64("app:3") + "\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:4") + "\"},"
                + "\"http://old.example:5000\":{\"auth\":\"" + b64("old:5") + "\"}}}");
        assertEquals(Optional.of(new Credentials("app", "3")), AuthFile.lookupIn(f, "quay.io", "team/app"));
        assertEquals(Optional.of(new Credentials("team", "2")), AuthFile.lookupIn(f, "quay.io", "team/other"));
        assertEquals(Optional.of(new Credentials("host", "1")), AuthFile.lookupIn(f, "quay.io", "solo/x"));
        assertEquals(Optional.of(new Credentials("host", "1")), AuthFile.lookupIn(f, "quay.io", null));
        assertEquals(Optional.of(new Credentials("hub", "4")), AuthFile.lookupIn(f, "docker.io", "library/busybox"));
        assertEquals(Optional.of(new Credentials("old", "5")), AuthFile.lookupIn(f, "old.example:5000", "a"));
        assertEquals(Optional.empty(), AuthFile.lookupIn(f, "quay.io.evil", "team/app"));
    }

    @Test
    void legacyDockercfgAndBadEntries() throws IOException {
        Path legacy = Files.writeString(tmp.resolve(".dockercfg"), "{\"r.io\":{\"auth\":\"" + b64("u:p") + "\",\"email\":\"x\"}}");
        assertEquals(Optional.of(new Credentials("u", "p")), AuthFile.lookupIn(legacy, "r.io", null));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"auths\":{\"r.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}");
        IOException e = assertThrows(IOException.class, () -> AuthFile.lookupIn(bad, "r.io", null));
        assertTrue(e.getMessage().contains("r.io") && e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void credentialsNeverPrintThePassword() {
        Credentials c = Credentials.parse("me:pa:ss");
        assertEquals("pa:ss", c.password());
        assertTrue(!c.toString().contains("pa:ss"));
        assertThrows(IllegalArgumentException.class, () -> Credentials.parse("nopassword"));
    }

    @Test
    void challenges() {
        AuthChallenge b = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals("bearer", b.scheme());
        assertEquals("https://auth.docker.io/token", b.param("realm"));
        assertEquals("registry.docker.io", b.param("service"));
        assertEquals("repository:library/busybox:pull", b.param("scope"));
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
        assertEquals("basic", basic.scheme());
        assertEquals("Registry Realm", basic.param("realm"));
        assertEquals("x", AuthChallenge.parse("bearer realm=x, error=\"insufficient_scope\"").param("realm"));
        assertEquals(null, AuthChallenge.parse(""));
    }
}
