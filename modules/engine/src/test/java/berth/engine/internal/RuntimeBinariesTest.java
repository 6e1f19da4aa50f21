package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --runtime /path}: the real runtime binaries, copied under names that tell nothing, are told apart. */
class RuntimeBinariesTest {
    private static final List<String> KNOWN = List.of("crun", "runc", "runsc");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"/usr/bin/crun", "/usr/sbin/runc", "/usr/bin/runsc"})
    void aCopyUnderAnotherNameIsKnownByItsVersion(String binary) throws IOException {
        Path real = Path.of(binary);
        Path copy = tmp.resolve("myruntime42");
        Files.copy(real, copy, StandardCopyOption.COPY_ATTRIBUTES);
        assertEquals(real.getFileName().toString(), RuntimeBinaries.identify(copy, KNOWN));
    }

    @Test
    void aBinaryThatIsNoRuntimeOrNoFileIsRefusedByPath() {
        BerthException e = assertThrows(BerthException.class, () -> RuntimeBinaries.identify(Path.of("/bin/true"), KNOWN));
        assertTrue(e.getMessage().contains("/bin/true") && e.getMessage().contains("crun, runc, runsc"), e.getMessage());
        e = assertThrows(BerthException.class, () -> RuntimeBinaries.identify(tmp.resolve("absent"), KNOWN));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    @Test
    void onlyAbsolutePathsArePaths() {
        assertTrue(RuntimeBinaries.isPath("/usr/bin/crun"));
        assertFalse(RuntimeBinaries.isPath("crun"));
        assertFalse(RuntimeBinaries.isPath(null));
    }
}
