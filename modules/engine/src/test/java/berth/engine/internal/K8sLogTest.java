package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs --since/--until/--tail} and the several-containers prefix over conmon's k8s-file records. */
class K8sLogTest {
    @TempDir
    Path tmp;

    private Path log() throws Exception {
        return Files.writeString(tmp.resolve("ctr.log"), String.join("\n",
                "2026-12-03T10:00:00.000000000+00:00 stdout F first",
                "2026-12-03T10:00:05.000000000+00:00 stdout P sec",
                "2026-12-03T10:00:05.100000000+00:00 stdout F ond",
                "2026-12-03T10:00:10.000000000+00:00 stderr F third", "") + "2026-12-03T10:00:11.000000000+00:00 stdout F unfinished");
    }

    private String read(K8sLog.Selection sel) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        K8sLog.copy(log(), sel, false, false, () -> false, out, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sinceUntilTailAndPrefix() throws Exception {
        assertEquals("first\nsecond\nthird\n", read(new K8sLog.Selection(-1, null, null, "")), "a line without its newline waits");
        assertEquals("second\nthird\n", read(new K8sLog.Selection(-1, Instant.parse("2026-12-03T10:00:01Z"), null, "")));
        assertEquals("first\nsecond\n", read(new K8sLog.Selection(-1, null, Instant.parse("2026-12-03T10:00:06Z"), "")));
        assertEquals("", read(new K8sLog.Selection(-1, null, Instant.parse("2026-12-03T09:00:00Z"), "")));
        assertEquals("second\n", read(new K8sLog.Selection(1, null, Instant.parse("2026-12-03T10:00:06Z"), "")),
                "tail counts the lines the times kept");
        assertEquals("abc123 third\n", read(new K8sLog.Selection(1, null, null, "abc123 ")));
    }
}
