package berth.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void readersSeeTheOldOrTheNewContentNeverAPart() throws Exception {
        Path target = tmp.resolve("record.json");
        byte[] a = filled(100_000, 'a');
        byte[] b = filled(300_000, 'b');
        AtomicFiles.write(target, a);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 300 && !stop.get(); i++) {
                AtomicFiles.write(target, i % 2 == 0 ? b : a, i % 3 == 0 ? AtomicFiles.Durability.FULL : AtomicFiles.Durability.FILE_ONLY);
            }
        });
        writer.start();
        int reads = 0;
        while (writer.isAlive()) {
            byte[] seen = Files.readAllBytes(target);
            assertTrue(Arrays.equals(seen, a) || Arrays.equals(seen, b), "a torn read of " + seen.length + " bytes");
            reads++;
        }
        writer.join();
        assertTrue(reads > 0);
        assertEquals(List.of("record.json"), names(tmp), "temp files left behind");
    }

    @Test
    void stringsAreUtf8AndParentsAreCreated() throws Exception {
        Path target = tmp.resolve("a/b/containers.conf");
        AtomicFiles.write(target, "[engine]\nname = \"é\"\n");
        assertEquals("[engine]\nname = \"é\"\n", Files.readString(target, StandardCharsets.UTF_8));
        AtomicFiles.write(target, "x", AtomicFiles.Durability.FILE_ONLY);
        assertEquals("x", Files.readString(target));
    }

    @Test
    void stagedFilesReplaceTheirTargetsOnlyOnCommit() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Files.writeString(one, "old");
        try (AtomicFiles.Staged s1 = AtomicFiles.stage(one, "new1".getBytes(StandardCharsets.UTF_8));
             AtomicFiles.Staged s2 = AtomicFiles.stage(two, new ByteArrayInputStream(filled(5000, 'z')))) {
            assertEquals("old", Files.readString(one));
            assertEquals(5000, s2.size());
            s1.commit();
            s2.commit();
            BerthException again = assertThrows(BerthException.class, s1::commit);
            assertEquals(ErrorCode.INTERNAL, again.code());
        }
        AtomicFiles.syncDirectory(tmp);
        assertEquals("new1", Files.readString(one));
        assertArrayEquals(filled(5000, 'z'), Files.readAllBytes(two));
        assertEquals(List.of("one", "two"), names(tmp));
    }

    @Test
    void anUncommittedStageLeavesNothing() throws Exception {
        Path target = tmp.resolve("t");
        Files.writeString(target, "kept");
        try (AtomicFiles.Staged s = AtomicFiles.stage(target, new byte[10])) {
            assertEquals(2, names(tmp).size());
        }
        assertEquals(List.of("t"), names(tmp));
        assertEquals("kept", Files.readString(target));
    }

    @Test
    void aFailureNamesTheTargetAndLeavesNoTempFile() throws Exception {
        Path dirTarget = Files.createDirectories(tmp.resolve("isadir/child"));
        BerthException e = assertThrows(BerthException.class, () -> AtomicFiles.write(dirTarget.getParent(), "x"));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("cannot write " + dirTarget.getParent()), e.getMessage());
        assertEquals(List.of("isadir"), names(tmp));
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
