package berth.image.support.layer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Reads an uncompressed tar 512-byte block by block, so that it knows which bytes are headers and
 * padding and which are content: tar-split needs the former verbatim. Commons Compress's
 * {@link TarArchiveEntry} decodes each header block's fields; the framing (PAX 'x' and 'g' records,
 * GNU 'L'/'K' long names, padding, the end-of-archive blocks) is done here, following Go's
 * archive/tar as tar-split's fork of it does, so the segments come out exactly where tar-split
 * puts them: one before each entry (the previous entry's padding, then every header of this entry),
 * one at the end (padding and the zero blocks), then whatever follows the end blocks.
 *
 * <p>PAX values are kept as bytes: an xattr such as {@code security.capability} is binary, and a
 * String would corrupt it.
 */
final class TarReader {
    private static final int BLOCK = 512;
    /** Go's archive/tar limit on a PAX or GNU long-name record's size. */
    private static final int MAX_SPECIAL_FILE = 1 << 20;
    private static final int TRAILING_CHUNK = 1 << 20;
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8);

    private final InputStream in;
    private final TarSplitPacker packer;
    private final byte[] block = new byte[BLOCK];
    private final Crc64 crc = new Crc64();
    private final ContentStream content = new ContentStream();
    private int pendingPadding;
    private TarHeader pendingFile;
    private boolean ended;

    /**
     * @param in the uncompressed tar
     * @param packer where tar-split entries go, or null
     */
    TarReader(InputStream in, TarSplitPacker packer) {
        this.in = in;
        this.packer = packer;
    }

    /** The next entry's header, or null at the end of the archive. The previous entry's unread content is skipped. */
    TarHeader next() throws IOException {
        if (ended) {
            return null;
        }
        finishEntry();
        ByteArrayOutputStream raw = new ByteArrayOutputStream(BLOCK * 2);
        readFully(pendingPadding, raw, "padding");
        pendingPadding = 0;
        Map<String, byte[]> pax = null;
        byte[] gnuLongName = null;
        byte[] gnuLongLink = null;
        while (true) {
            int n = in.readNBytes(block, 0, BLOCK);
            raw.write(block, 0, n);
            if (n == 0) {
                return end(raw); // no end-of-archive blocks: Go accepts that
            }
            if (n < BLOCK) {
                throw new EOFException("truncated tar: a header block ends after " + n + " bytes");
            }
            if (isZero(block)) {
                n = in.readNBytes(block, 0, BLOCK);
                raw.write(block, 0, n);
                if (n == 0 || (n == BLOCK && isZero(block))) {
                    return end(raw);
                }
                throw new IOException(n < BLOCK ? "truncated tar: the end-of-archive blocks are cut short"
                        : "invalid tar header: a zero block followed by data");
            }
            if (!TarUtils.verifyCheckSum(block)) {
                throw new IOException("invalid tar header: bad checksum");
            }
            TarArchiveEntry fields;
            try {
                fields = new TarArchiveEntry(block, UTF8, false);
            } catch (IllegalArgumentException e) {
                throw new IOException("invalid tar header: " + e.getMessage(), e);
            }
            byte type = block[156];
            long size = TarUtils.parseOctalOrBinary(block, 124, 12);
            if (size < 0) {
                throw new IOException("invalid tar header: negative size");
            }
            switch (type) {
                case 'x', 'g' -> {
                    byte[] data = readSpecial(size, raw);
                    Map<String, byte[]> records = parsePax(data);
                    if (type == 'g') {
                        // Go reports a global header as an entry of its own and applies it to nothing
                        TarHeader global = new TarHeader(TarHeader.GLOBAL_PAX, cString(block, 0, 100), new byte[0], 0, 0, 0, 0, 0,
                                0, 0, -1, 0, 0, 0, Map.of());
                        return begin(global, raw);
                    }
                    pax = records; // a second 'x' replaces the first, as in Go
                }
                case 'L' -> gnuLongName = cString(readSpecial(size, raw));
                case 'K' -> gnuLongLink = cString(readSpecial(size, raw));
                default -> {
                    return begin(header(type, size, fields, pax, gnuLongName, gnuLongLink), raw);
                }
            }
        }
    }

    /**
     * The content of the entry {@link #next} returned. Reading it is optional: {@link #next} skips
     * what is left.
     */
    InputStream content() {
        return content;
    }

    /**
     * After {@link #next} returned null: reads what follows the end-of-archive blocks, to the end of
     * the stream (it is part of the diff ID and of the tar-split).
     */
    void finish() throws IOException {
        if (!ended) {
            throw new IllegalStateException("the archive has entries left");
        }
        while (true) {
            byte[] chunk = in.readNBytes(TRAILING_CHUNK);
            if (packer != null) {
                // tar-split 0.11 records every read of this loop, the last (empty) one too
                packer.segment(chunk, 0, chunk.length);
            }
            if (chunk.length == 0) {
                return;
            }
        }
    }

    private TarHeader begin(TarHeader header, ByteArrayOutputStream raw) throws IOException {
        if (packer != null && raw.size() > 0) {
            packer.segment(raw.toByteArray(), 0, raw.size());
        }
        crc.reset();
        content.remaining = header.contentLength();
        pendingPadding = padding(header.contentLength());
        pendingFile = header;
        return header;
    }

    private TarHeader end(ByteArrayOutputStream raw) throws IOException {
        ended = true;
        if (packer != null && raw.size() > 0) {
            packer.segment(raw.toByteArray(), 0, raw.size());
        }
        return null;
    }

    /** Skips the rest of the current entry's content and records it in the tar-split. */
    private void finishEntry() throws IOException {
        if (pendingFile == null) {
            return;
        }
        content.skip(Long.MAX_VALUE);
        if (packer != null) {
            packer.file(pendingFile.nameBytes(), pendingFile.size(), pendingFile.size() > 0 ? crc.sum() : null);
        }
        pendingFile = null;
    }

    private TarHeader header(byte type, long size, TarArchiveEntry fields, Map<String, byte[]> pax, byte[] gnuLongName,
                             byte[] gnuLongLink) throws IOException {
        byte[] name = ustarName(block);
        byte[] link = cString(block, 157, 100);
        long uid = fields.getLongUserId();
        long gid = fields.getLongGroupId();
        long mtime = TarUtils.parseOctalOrBinary(block, 136, 12);
        int mtimeNanos = 0;
        long atime = -1;
        int atimeNanos = 0;
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        if (pax != null) {
            for (Map.Entry<String, byte[]> r : pax.entrySet()) {
                String key = r.getKey();
                byte[] value = r.getValue();
                switch (key) {
                    case "path" -> name = value;
                    case "linkpath" -> link = value;
                    case "size" -> size = paxNumber(key, value);
                    case "uid" -> uid = paxNumber(key, value);
                    case "gid" -> gid = paxNumber(key, value);
                    case "mtime" -> {
                        long[] t = paxTime(value);
                        mtime = t[0];
                        mtimeNanos = (int) t[1];
                    }
                    case "atime" -> {
                        long[] t = paxTime(value);
                        atime = t[0];
                        atimeNanos = (int) t[1];
                    }
                    default -> {
                        if (key.startsWith("SCHILY.xattr.")) {
                            xattrs.put(key.substring("SCHILY.xattr.".length()), value);
                        } else if (key.startsWith("GNU.sparse.")) {
                            throw new IOException("sparse files are not supported (entry \"" + utf8(name) + "\")");
                        }
                    }
                }
            }
        }
        if (gnuLongName != null) {
            name = gnuLongName;
        }
        if (gnuLongLink != null) {
            link = gnuLongLink;
        }
        if (type == 0) {
            type = name.length > 0 && name[name.length - 1] == '/' ? TarHeader.DIRECTORY : TarHeader.REGULAR;
        }
        if (type == 'S') {
            throw new IOException("sparse files are not supported (entry \"" + utf8(name) + "\")");
        }
        if (size < 0) {
            throw new IOException("invalid tar header: negative size for \"" + utf8(name) + "\"");
        }
        boolean headerOnly = type == TarHeader.HARD_LINK || type == TarHeader.SYMLINK || type == TarHeader.CHAR_DEVICE
                || type == TarHeader.BLOCK_DEVICE || type == TarHeader.DIRECTORY || type == TarHeader.FIFO;
        return new TarHeader(type, name, link, size, headerOnly ? 0 : size, fields.getMode(), uid, gid, mtime, mtimeNanos,
                atime, atimeNanos, fields.getDevMajor(), fields.getDevMinor(), xattrs);
    }

    /** The name field, with the ustar (or star) prefix in front as Go joins them. */
    private static byte[] ustarName(byte[] b) {
        byte[] name = cString(b, 0, 100);
        boolean ustarMagic = b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r' && b[262] == 0;
        if (!ustarMagic) {
            return name; // v7 or GNU: no prefix field
        }
        boolean star = b[508] == 't' && b[509] == 'a' && b[510] == 'r' && b[511] == 0;
        byte[] prefix = cString(b, 345, star ? 131 : 155);
        if (prefix.length == 0) {
            return name;
        }
        byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        joined[prefix.length] = '/';
        System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
        return joined;
    }

    private byte[] readSpecial(long size, ByteArrayOutputStream raw) throws IOException {
        if (size > MAX_SPECIAL_FILE) {
            throw new IOException("invalid tar: an extended header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("truncated tar: an extended header is cut short");
        }
        raw.write(data, 0, data.length);
        readFully(padding(size), raw, "padding");
        return data;
    }

    private void readFully(int n, ByteArrayOutputStream raw, String what) throws IOException {
        if (n == 0) {
            return;
        }
        byte[] b = in.readNBytes(n);
        raw.write(b, 0, b.length);
        if (b.length < n) {
            throw new EOFException("truncated tar: " + what + " is cut short");
        }
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    /** PAX records: "LEN KEY=VALUE\n", LEN counting the whole record. */
    static Map<String, byte[]> parsePax(byte[] data) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("invalid PAX record length");
            }
            int end = pos + len;
            if (len <= 0 || end > data.length || space >= end || data[end - 1] != '\n') {
                throw new IOException("invalid PAX record");
            }
            int eq = space + 1;
            while (eq < end - 1 && data[eq] != '=') {
                eq++;
            }
            if (eq >= end - 1) {
                throw new IOException("invalid PAX record: no '='");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            records.put(key, Arrays.copyOfRange(data, eq + 1, end - 1));
            pos = end;
        }
        return records;
    }

    private static long paxNumber(String key, byte[] value) throws IOException {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IOException("invalid PAX record " + key + "=" + utf8(value));
        }
    }

    /** "SECONDS[.FRACTION]" as {seconds, nanoseconds}. */
    private static long[] paxTime(byte[] value) throws IOException {
        String s = new String(value, StandardCharsets.US_ASCII);
        try {
            int dot = s.indexOf('.');
            if (dot < 0) {
                return new long[] {Long.parseLong(s), 0};
            }
            long seconds = Long.parseLong(s.substring(0, dot));
            String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
            long nanos = Long.parseLong(frac);
            if (s.startsWith("-") && nanos != 0) {
                seconds -= 1;
                nanos = 1_000_000_000L - nanos;
            }
            return new long[] {seconds, nanos};
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IOException("invalid PAX time " + s);
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(b, off, end);
    }

    private static byte[] cString(byte[] b) {
        return cString(b, 0, b.length);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The current entry's content; tracks its crc64 for tar-split. */
    private final class ContentStream extends InputStream {
        long remaining;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("truncated tar: " + remaining + " bytes of content are missing");
            }
            if (packer != null) {
                crc.update(b, off, n);
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n && remaining > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public void close() {
            // the archive stays open; next() skips what is left
        }
    }
}
