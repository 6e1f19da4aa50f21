package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Translated profiles kept by what they depend on: a hit returns the same text, a changed file or capability set is a miss. */
class SeccompCacheTest {
    @TempDir
    Path tmp;

    private static final String PROFILE = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
            + "{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";

    private long entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aHitReturnsWhatTheTranslationGaveAndAChangeIsAMiss() throws Exception {
        Path profile = tmp.resolve("p.json");
        Path cache = tmp.resolve("cache");
        Files.writeString(profile, PROFILE);
        String first = SeccompCache.profileJson(profile, List.of("CAP_CHOWN"), cache);
        assertEquals(Json.write(SeccompProfiles.load(profile, List.of("CAP_CHOWN"), SeccompProfiles.nativeArch(),
                SeccompProfiles.kernelRelease())), first);
        assertEquals(1, entries(cache));
        assertEquals(first, SeccompCache.profileJson(profile, List.of("CAP_CHOWN"), cache), "a hit");
        assertEquals(1, entries(cache));

        String withAdmin = SeccompCache.profileJson(profile, List.of("CAP_SYS_ADMIN"), cache);
        assertTrue(!withAdmin.contains("mkdir") && first.contains("mkdir"), "another capability set, another translation");
        assertEquals(2, entries(cache));

        Files.writeString(profile, PROFILE.replace("mkdir", "rmdir"));
        Files.setLastModifiedTime(profile, FileTime.fromMillis(Files.getLastModifiedTime(profile).toMillis() + 5000));
        assertTrue(SeccompCache.profileJson(profile, List.of("CAP_CHOWN"), cache).contains("rmdir"), "a changed file is translated again");
    }

    @Test
    void aDamagedEntryIsAMissAndSeccompOffIsKeptToo() throws Exception {
        Path profile = tmp.resolve("off.json");
        Path cache = tmp.resolve("cache");
        Files.writeString(profile, "{\"syscalls\": []}");
        assertNull(SeccompCache.profileJson(profile, List.of(), cache));
        assertNull(SeccompCache.profileJson(profile, List.of(), cache), "a hit that says seccomp is off");
        try (Stream<Path> s = Files.list(cache)) {
            for (Path e : s.toList()) {
                Files.writeString(e, "garbage");
            }
        }
        Files.writeString(profile, PROFILE);
        Files.setLastModifiedTime(profile, FileTime.fromMillis(Files.getLastModifiedTime(profile).toMillis() + 5000));
        assertTrue(SeccompCache.profileJson(profile, List.of(), cache).contains("mkdir"));
    }

    @Test
    void aMissingProfileIsNamed() {
        Path missing = tmp.resolve("nope.json");
        BerthException e = assertThrows(BerthException.class, () -> SeccompCache.profileJson(missing, List.of(), tmp.resolve("c")));
        assertTrue(e.getMessage().contains(missing + " failed: no such file"), e.getMessage());
    }
}
