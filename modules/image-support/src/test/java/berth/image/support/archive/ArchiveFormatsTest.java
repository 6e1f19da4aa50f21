package berth.image.support.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArchiveFormatsTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("berth-formats-");
    }

    @AfterEach
    void tearDown() {
        FileTrees.delete(dir);
    }

    private Path tar(String name, String... files) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String f : files) {
            m.put(f, ArchiveFixtures.utf8("{}"));
        }
        Path p = dir.resolve(name);
        ArchiveFixtures.writeTar(p, m);
        return p;
    }

    @Test
    void tellsTheFormatsByTheirRootFiles() throws IOException {
        assertEquals(ArchiveFormat.DOCKER_ARCHIVE, ArchiveFormats.detect(tar("d.tar", "abc.json", "manifest.json", "repositories")));
        assertEquals(ArchiveFormat.OCI_ARCHIVE, ArchiveFormats.detect(tar("o.tar", "blobs/sha256/x", "./oci-layout", "index.json")));
        Path gz = dir.resolve("d.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(tar("d2.tar", "manifest.json"), out);
        }
        assertEquals(ArchiveFormat.DOCKER_ARCHIVE, ArchiveFormats.detect(gz));
    }

    @Test
    void anythingElseIsPodmansLoadError() throws IOException {
        Path text = dir.resolve("text");
        Files.writeString(text, "hello\n".repeat(200));
        Path other = tar("other.tar", "etc/passwd", "index.json");
        for (Path p : new Path[] {text, other}) {
            IOException e = assertThrows(IOException.class, () -> ArchiveFormats.detect(p));
            assertTrue(e.getMessage().startsWith("payload does not match any of the supported image formats") && e.getMessage().contains(p.toString()),
                    e.getMessage());
        }
        IOException e = assertThrows(IOException.class, () -> ArchiveFormats.detect(dir.resolve("absent.tar")));
        assertTrue(e.getMessage().contains("absent.tar"), e.getMessage());
    }
}
