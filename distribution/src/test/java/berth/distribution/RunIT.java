package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code run --rm} on each real runtime: output, exit code, nothing left behind. */
class RunIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"crun", "runc", "runsc"})
    void runRmPrintsOutputAndReturnsExitCode(String runtime) {
        Berth.Result r = berth.run("run", "--rm", "--runtime", runtime, "--rootfs", rootfs, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.exitCode(), r.err());
        assertEquals("out", r.out().strip());
        assertTrue(r.err().contains("err"), r.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "--rm left a container behind");
    }
}
