package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** A profile's kept filter remembered by what the translation depends on: a hit names the same file, a change is a miss. */
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

    private static void touchLater(Path f) throws Exception {
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
    }

    @Test
    void aHitNamesTheFilterTheTranslationKeptAndAChangeIsAMiss() throws Exception {
        Path profile = tmp.resolve("p.json");
        Path cache = tmp.resolve("cache");
        Path filters = tmp.resolve("filters");
        Files.writeString(profile, PROFILE);
        String first = SeccompCache.filterFor(profile, List.of("CAP_CHOWN"), cache, filters);
        assertEquals(Json.write(SeccompProfiles.load(profile, List.of("CAP_CHOWN"), SeccompProfiles.nativeArch(),
                SeccompProfiles.kernelRelease())), Files.readString(Path.of(first)));
        assertEquals(first, SeccompCache.filterFor(profile, List.of("CAP_CHOWN"), cache, filters), "a hit");
        assertEquals(1, entries(cache));

        String withAdmin = SeccompCache.filterFor(profile, List.of("CAP_SYS_ADMIN"), cache, filters);
        assertNotEquals(first, withAdmin);
        assertTrue(!Files.readString(Path.of(withAdmin)).contains("mkdir"), "another capability set, another translation");
        assertEquals(2, entries(cache));

        Files.writeString(profile, PROFILE.replace("mkdir", "rmdir"));
        touchLater(profile);
        assertTrue(Files.readString(Path.of(SeccompCache.filterFor(profile, List.of("CAP_CHOWN"), cache, filters))).contains("rmdir"),
                "a changed file is translated again");

        Files.delete(Path.of(first));
        Files.writeString(profile, PROFILE);
        Files.setLastModifiedTime(profile, FileTime.fromMillis(0));
        String again = SeccompCache.filterFor(profile, List.of("CAP_CHOWN"), cache, filters);
        assertTrue(Files.exists(Path.of(again)), "a kept filter that is gone is made again");
    }

    @Test
    void aDamagedEntryIsAMissAndSeccompOffIsRememberedToo() throws Exception {
        Path profile = tmp.resolve("off.json");
        Path cache = tmp.resolve("cache");
        Files.writeString(profile, "{\"syscalls\": []}");
        assertNull(SeccompCache.filterFor(profile, List.of(), cache, tmp.resolve("f")));
        assertNull(SeccompCache.filterFor(profile, List.of(), cache, tmp.resolve("f")), "a hit that says seccomp is off");
        try (Stream<Path> s = Files.list(cache)) {
            for (Path e : s.toList()) {
                Files.writeString(e, "garbage");
            }
        }
        Files.writeString(profile, PROFILE);
        touchLater(profile);
        assertTrue(Files.readString(Path.of(SeccompCache.filterFor(profile, List.of(), cache, tmp.resolve("f")))).contains("mkdir"));
    }

    @Test
    void aMissingProfileIsNamed() {
        Path missing = tmp.resolve("nope.json");
        BerthException e = assertThrows(BerthException.class, () -> SeccompCache.filterFor(missing, List.of(), tmp.resolve("c"), tmp.resolve("f")));
        assertTrue(e.getMessage().contains(missing + " failed: no such file"), e.getMessage());
    }
}
