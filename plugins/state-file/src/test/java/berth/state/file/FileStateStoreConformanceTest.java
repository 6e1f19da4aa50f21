package berth.state.file;

import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.state.testkit.ConcurrencyProfile;
import berth.state.testkit.CrashProfile;
import berth.state.testkit.StateStoreConformanceSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The file backend against the StateStore conformance suite, plus its own corrupt-record case. */
class FileStateStoreConformanceTest extends StateStoreConformanceSuite {
    @Override
    protected String providerId() {
        return "file";
    }

    @Override
    protected Path databaseFile(Path staticDir) {
        return staticDir.resolve("file-state").resolve("dbconfig.json");
    }

    /** 4 processes each adding and updating 200 containers at once; all 800 present and intact. */
    @Override
    protected ConcurrencyProfile concurrencyProfile() {
        return new ConcurrencyProfile(4, 200, 1, false, 10, 90);
    }

    @Override
    protected CrashProfile crashProfile() {
        return new CrashProfile(3, 40, 2);
    }

    /** A record cut short mid-write (as by a tool that does not write atomically) is reported by file name; the rest load. */
    @Test
    void corruptJsonRecordIsReportedByFileAndTheOthersLoad() throws Exception {
        assertCorruptRecordIsReported((dir, id) -> {
            Path record = dir.resolve("file-state").resolve("containers").resolve(id + ".json");
            assertTrue(Files.exists(record), "the file backend keeps " + record);
            byte[] whole = Files.readAllBytes(record);
            Files.write(record, new String(whole, 0, whole.length / 2, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            return record.toString();
        });
    }

    /** Not JSON at all (a binary blob where a record should be). */
    @Test
    void binaryGarbageRecordIsReportedByFile() throws Exception {
        assertCorruptRecordIsReported((dir, id) -> {
            Path record = dir.resolve("file-state").resolve("containers").resolve(id + ".json");
            Files.write(record, new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '{'});
            return record.toString();
        });
    }
}
