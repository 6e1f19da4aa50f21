package berth.image.support.layer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds tar archives entry by entry for the tests, hostile ones included (names are written as given). */
final class TestTars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarEntryWriter writer = new TarEntryWriter(bytes);
    private long mtime = 1_600_000_000L;

    TestTars mtime(long seconds) {
        this.mtime = seconds;
        return this;
    }

    TestTars file(String name, String content) {
        return file(name, content, 0644, 0, 0, Map.of());
    }

    TestTars file(String name, String content, int mode, long uid, long gid, Map<String, byte[]> xattrs) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return entry(new TarEntryWriter.Entry(name, TarHeader.REGULAR, mode, uid, gid, data.length, mtime, "", 0, 0, xattrs),
                new ByteArrayInputStream(data));
    }

    TestTars dir(String name) {
        return dir(name, 0755);
    }

    TestTars dir(String name, int mode) {
        return entry(new TarEntryWriter.Entry(name, TarHeader.DIRECTORY, mode, 0, 0, 0, mtime, "", 0, 0, Map.of()), null);
    }

    TestTars symlink(String name, String target) {
        return entry(new TarEntryWriter.Entry(name, TarHeader.SYMLINK, 0777, 0, 0, 0, mtime, target, 0, 0, Map.of()), null);
    }

    TestTars hardlink(String name, String target) {
        return entry(new TarEntryWriter.Entry(name, TarHeader.HARD_LINK, 0644, 0, 0, 0, mtime, target, 0, 0, Map.of()), null);
    }

    TestTars device(String name, byte type, int major, int minor) {
        return entry(new TarEntryWriter.Entry(name, type, 0600, 0, 0, 0, mtime, "", major, minor, Map.of()), null);
    }

    TestTars fifo(String name) {
        return entry(new TarEntryWriter.Entry(name, TarHeader.FIFO, 0640, 0, 0, 0, mtime, "", 0, 0, Map.of()), null);
    }

    TestTars entry(TarEntryWriter.Entry e, java.io.InputStream content) {
        try {
            writer.write(e, content);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    static Map<String, byte[]> xattr(String name, byte[] value) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name, value);
        return m;
    }

    byte[] build() {
        try {
            writer.finish();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
