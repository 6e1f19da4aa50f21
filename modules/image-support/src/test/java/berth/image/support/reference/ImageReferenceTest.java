package berth.image.support.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String D = "sha256:abababababababababababababababababababababababababababababababab";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "busybox                          | docker.io/library/busybox:latest       | busybox:latest",
        "busybox:1.36                     | docker.io/library/busybox:1.36         | busybox:1.36",
        "library/busybox                  | docker.io/library/busybox:latest       | busybox:latest",
        "docker.io/busybox                | docker.io/library/busybox:latest       | busybox:latest",
        "index.docker.io/library/busybox  | docker.io/library/busybox:latest       | busybox:latest",
        "user/app:v2                      | docker.io/user/app:v2                  | user/app:v2",
        "docker.io/a/b/c                  | docker.io/a/b/c:latest                 | a/b/c:latest",
        "quay.io/podman/stable            | quay.io/podman/stable:latest           | quay.io/podman/stable:latest",
        "localhost/img                    | localhost/img:latest                   | localhost/img:latest",
        "localhost:5000/img:1             | localhost:5000/img:1                   | localhost:5000/img:1",
        "127.0.0.1:5000/test/busybox:1    | 127.0.0.1:5000/test/busybox:1          | 127.0.0.1:5000/test/busybox:1",
        "Registry.Example/x               | Registry.Example/x:latest              | Registry.Example/x:latest",
        "my-reg.io:443/a_b/c__d/e--f.g:T_1.x-y | my-reg.io:443/a_b/c__d/e--f.g:T_1.x-y | my-reg.io:443/a_b/c__d/e--f.g:T_1.x-y",
        "[::1]:5000/img                   | [::1]:5000/img:latest                  | [::1]:5000/img:latest",
    })
    void normalises(String input, String full, String familiar) {
        ImageReference r = ImageReference.parse(input);
        assertEquals(full, r.toString());
        assertEquals(familiar, r.familiar());
    }

    @org.junit.jupiter.api.Test
    void digestsAndTags() {
        ImageReference byDigest = ImageReference.parse("busybox@" + D);
        assertEquals("docker.io/library/busybox@" + D, byDigest.toString());
        assertEquals(null, byDigest.tag());
        assertEquals(D, byDigest.tagOrDigest());
        assertTrue(byDigest.hasDigest());

        ImageReference both = ImageReference.parse("quay.io/a/b:1.0@" + D);
        assertEquals("quay.io", both.registry());
        assertEquals("a/b", both.repository());
        assertEquals("1.0", both.tag());
        assertEquals(D, both.digest());
        assertEquals("quay.io/a/b:1.0@" + D, both.toString());
        assertEquals(D, both.tagOrDigest(), "the digest is exact: it is what a registry is asked for");

        ImageReference port = ImageReference.parse("localhost:5000/x");
        assertEquals("localhost:5000", port.registry());
        assertEquals("latest", port.tag(), "a port is not a tag");
        assertEquals("quay.io/a/b:2", both.withTag("2").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "docker.io/Library/busybox", "busybox:", "busybox:-x", "a//b", "/a", "a/", "-a",
        "busybox@sha256:abc", "busybox@md5:" + "0123456789abcdef0123456789abcdef", "UPPER:tag", "a b",
        "busybox:" + "t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789t123456789",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void rejects(String input) {
        BerthException e = assertThrows(BerthException.class, () -> ImageReference.parse(input));
        assertEquals(ErrorCode.IMAGE_INVALID, e.code());
        assertTrue(e.getMessage().contains("invalid reference format"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void lowercaseMessage() {
        BerthException e = assertThrows(BerthException.class, () -> ImageReference.parse("docker.io/Busybox"));
        assertTrue(e.getMessage().contains("repository name must be lowercase"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void tooLong() {
        String longName = "a/".repeat(130) + "b";
        assertThrows(BerthException.class, () -> ImageReference.parse(longName));
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:1", "library/busybox", "user/app:1", "busybox@" + D, "a/b/c"})
    void shortNames(String s) {
        assertTrue(ImageReference.isShortName(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io/busybox", "localhost/x", "localhost:5000/x", "quay.io/a/b", "127.0.0.1:5000/x:1", "host:1/x"})
    void qualifiedNames(String s) {
        assertFalse(ImageReference.isShortName(s), s);
    }
}
