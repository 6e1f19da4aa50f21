package berth.image.support.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Random access into a tarball: one pass over its headers (the data is skipped, not read) records
 * where each file's bytes lie, and a file is then read as a bounded window of the tarball. A
 * gzip- or zstd-compressed tarball is first decompressed to a temp file, as it cannot be seeked.
 */
final class TarIndex implements AutoCloseable {
    private record Entry(long offset, long size, String linkTarget) {
    }

    private final Path tarball;
    private final Path data;
    private final boolean dataIsTemp;
    private final Map<String, Entry> entries;

    private TarIndex(Path tarball, Path data, boolean dataIsTemp, Map<String, Entry> entries) {
        this.tarball = tarball;
        this.data = data;
        this.dataIsTemp = dataIsTemp;
        this.entries = entries;
    }

    /**
     * Indexes {@code tarball}; a compressed one is decompressed into a temp file under
     * {@code tmpDir} (deleted on close).
     *
     * @throws IOException naming the tarball: unreadable, not a tar, or truncated
     */
    static TarIndex open(Path tarball, Path tmpDir) throws IOException {
        Path data = tarball;
        boolean temp = false;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 65536)) {
            if (Compression.sniff(raw) != Compression.NONE) {
                Files.createDirectories(tmpDir);
                data = Files.createTempFile(tmpDir, "berth-archive-", ".tar");
                temp = true;
                try (InputStream in = Compression.decompressed(raw)) {
                    Files.copy(in, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            if (temp) {
                Files.deleteIfExists(data);
            }
            throw new IOException(tarball + ": cannot read the archive: " + e.getMessage(), e);
        }
        try {
            return new TarIndex(tarball, data, temp, scan(tarball, data));
        } catch (IOException e) {
            if (temp) {
                Files.deleteIfExists(data);
            }
            throw e;
        }
    }

    private static Map<String, Entry> scan(Path tarball, Path data) throws IOException {
        long fileSize = Files.size(data);
        Map<String, Entry> out = new LinkedHashMap<>();
        try (TarFile tar = new TarFile(data)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                String name = clean(e.getName());
                if (e.isDirectory() || name.isEmpty()) {
                    continue;
                }
                if (e.isSymbolicLink()) {
                    out.put(name, new Entry(-1, -1, resolveLink(name, e.getLinkName())));
                } else if (e.isLink()) {
                    out.put(name, new Entry(-1, -1, clean(e.getLinkName())));
                } else if (e.isFile()) {
                    if (e.getDataOffset() + e.getSize() > fileSize) {
                        throw new IOException(tarball + ": the archive is truncated: " + name + " needs "
                                + e.getSize() + " bytes at offset " + e.getDataOffset() + ", the file has " + fileSize);
                    }
                    out.put(name, new Entry(e.getDataOffset(), e.getSize(), null));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(tarball.toString())) {
                throw io;
            }
            throw new IOException(tarball + ": not a valid tar archive (truncated or damaged?): " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(tarball + ": not a valid tar archive: it holds no files");
        }
        return out;
    }

    /** The archive as named in messages. */
    Path tarball() {
        return tarball;
    }

    /** The names of the regular files and links, cleaned ({@code ./a//b} → {@code a/b}). */
    Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    boolean has(String name) {
        return entries.containsKey(clean(name));
    }

    /** The size of a file (after following links). */
    long size(String name) throws IOException {
        return find(name).size();
    }

    /** Opens a file of the archive (after following links); the stream ends at the file's end. */
    InputStream open(String name) throws IOException {
        Entry e = find(name);
        FileChannel ch = FileChannel.open(data, StandardOpenOption.READ);
        return new WindowInputStream(ch, e.offset(), e.size());
    }

    /** A small file's bytes (manifest.json, a config), refused past {@code limit} bytes. */
    byte[] read(String name, int limit) throws IOException {
        long size = size(name);
        if (size > limit) {
            throw new IOException(tarball + ": " + clean(name) + " is " + size + " bytes, more than the " + limit + " allowed");
        }
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    private Entry find(String name) throws IOException {
        String key = clean(name);
        Entry e = entries.get(key);
        for (int hops = 0; e != null && e.linkTarget() != null; hops++) {
            if (hops > 16) {
                throw new IOException(tarball + ": " + key + ": too many levels of links");
            }
            e = entries.get(e.linkTarget());
        }
        if (e == null) {
            throw new IOException(tarball + ": the archive has no file " + key);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        if (dataIsTemp) {
            Files.deleteIfExists(data);
        }
    }

    /** A path inside the archive without {@code .}, empty or leading-slash parts; {@code ..} pops. */
    static String clean(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    private static String resolveLink(String name, String target) {
        if (target.startsWith("/")) {
            return clean(target);
        }
        int slash = name.lastIndexOf('/');
        return clean(slash < 0 ? target : name.substring(0, slash + 1) + target);
    }

    /** Reads {@code [offset, offset+size)} of a file with positional reads; closes the channel. */
    private static final class WindowInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        WindowInputStream(FileChannel channel, long offset, long size) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(buf, off, want), position);
            if (n < 0) {
                throw new IOException("unexpected end of the archive at offset " + position);
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - position));
            position += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
