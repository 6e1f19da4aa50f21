package berth.oci.conmon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.spi.runtime.ExitStatus;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's stop and start can follow each other within a second of berth's conmon writing its exit
 * file: that file must read as the earlier run's once a newer monitor runs, and a file the running
 * monitor's run wrote must not.
 */
class ExitFilesStalenessTest {
    @TempDir
    Path dir;

    private RuntimeContainer monitoredBy(long pid) {
        return new RuntimeContainer("c1", "c1", dir, dir, "k8s-file", dir.resolve("log"), false, false, List.of(), 0, (int) pid, 15);
    }

    private ExitStatus writtenNow(String name) throws Exception {
        Path exit = dir.resolve(name);
        Files.writeString(exit, "137");
        return new ExitStatus(137, false, Files.getLastModifiedTime(exit).toInstant());
    }

    @Test
    void anExitWrittenJustBeforeTheMonitorStartedIsAnEarlierRuns() throws Exception {
        for (int i = 0; i < 5; i++) {
            ExitStatus earlier = writtenNow("exit" + i);
            Thread.sleep(60); // podman's stop returning and its start reaching conmon take longer than this
            Process monitor = new ProcessBuilder("sleep", "5").start();
            try {
                assertTrue(ExitFiles.olderThanMonitor(earlier, monitoredBy(monitor.pid())), "round " + i);
                Thread.sleep(60);
                ExitStatus own = writtenNow("own" + i);
                assertFalse(ExitFiles.olderThanMonitor(own, monitoredBy(monitor.pid())), "round " + i);
            } finally {
                monitor.destroyForcibly().waitFor();
            }
        }
    }
}
