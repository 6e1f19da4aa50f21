package berth.image.support.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TransportRefTest {
    @Test
    void theArchivePathEndsAtTheFirstColon() throws IOException {
        assertEquals(new TransportRef.DockerArchive(Path.of("/p.tar"), "docker.io/library/name:tag"), TransportRef.parse("docker-archive:/p.tar:name:tag"));
        assertEquals(new TransportRef.DockerArchive(Path.of("/p.tar"), "localhost:5000/a/b:latest"),
                TransportRef.parse("docker-archive:/p.tar:localhost:5000/a/b"));
        assertEquals(new TransportRef.DockerArchive(Path.of("/p.tar"), null), TransportRef.parse("docker-archive:/p.tar"));
        assertEquals(new TransportRef.DockerArchive(Path.of("rel/p.tar"), "@2"), TransportRef.parse("docker-archive:rel/p.tar:@2"));
        assertEquals(new TransportRef.OciArchive(Path.of("/p.tar"), "ref"), TransportRef.parse("oci-archive:/p.tar:ref"));
        assertEquals(new TransportRef.OciArchive(Path.of("/p.tar"), "localhost/a:1"), TransportRef.parse("oci-archive:/p.tar:localhost/a:1"));
        assertEquals(new TransportRef.OciDir(Path.of("/dir"), null), TransportRef.parse("oci:/dir"));
        assertEquals(new TransportRef.OciDir(Path.of("/dir"), "@0"), TransportRef.parse("oci:/dir:@0"));
        assertEquals(new TransportRef.OciDir(Path.of("/dir"), "v1.0"), TransportRef.parse("oci:/dir:v1.0"));
    }

    @Test
    void registryNamesWithAndWithoutTheirTransport() throws IOException {
        assertEquals(new TransportRef.Registry("quay.io/a/b:1"), TransportRef.parse("docker://quay.io/a/b:1"));
        assertEquals(new TransportRef.Registry("localhost:5000/a:1"), TransportRef.parse("localhost:5000/a:1"));
        assertEquals(new TransportRef.Registry("busybox"), TransportRef.parse("busybox"));
        assertEquals("docker-archive:/p.tar:@1", TransportRef.parse("docker-archive:/p.tar:@1").toString());
    }

    @Test
    void malformedNamesAreErrorsThatSayWhy() {
        String[][] cases = {
            {"docker-archive:", "no path"},
            {"docker-archive:/p.tar:@x", "not an integer"},
            {"docker-archive:/p.tar:@-1", "must not be negative"},
            {"docker-archive:/p.tar:a@sha256:" + "0".repeat(64), "digest"},
            {"docker-archive:/p.tar:Upper/Case", "lowercase"},
            {"oci-archive:/p.tar:-bad", "invalid image -bad"},
            {"oci-archive:/p.tar:@1", "invalid image @1"},
            {"containers-storage:busybox", "unsupported transport"},
            {"docker://", "no reference"},
            {"", "empty"},
        };
        for (String[] c : cases) {
            IOException e = assertThrows(IOException.class, () -> TransportRef.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
        }
    }
}
