package berth.image.support.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes tar entries as Go's archive/tar does by default: a ustar header, preceded by a PAX
 * header when a value does not fit ustar (a long or non-ASCII name, big ids or sizes, xattrs).
 * Commons Compress formats each header block; the PAX records are written here as bytes, because
 * an xattr value (e.g. {@code security.capability}) is binary and Commons would encode a String.
 */
final class TarEntryWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_8 = 07777777L;
    private static final long MAX_OCTAL_12 = 077777777777L;
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8);

    /** One entry's header values. Times are whole seconds, as Go's writer truncates them. */
    record Entry(String name, byte type, int mode, long uid, long gid, long size, long mtimeSeconds, String linkName,
                 int devMajor, int devMinor, Map<String, byte[]> xattrs) {
    }

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];

    TarEntryWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the header(s) of {@code e} and then {@code e.size()} bytes of {@code content} (null when the size is 0). */
    void write(Entry e, InputStream content) throws IOException {
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String name = e.name();
        String link = e.linkName() == null ? "" : e.linkName();
        if (!fitsUstar(name)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
        }
        if (!fitsUstar(link)) {
            pax.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
        }
        if (e.uid() > MAX_OCTAL_8) {
            pax.put("uid", Long.toString(e.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.gid() > MAX_OCTAL_8) {
            pax.put("gid", Long.toString(e.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.size() > MAX_OCTAL_12) {
            pax.put("size", Long.toString(e.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.mtimeSeconds() < 0 || e.mtimeSeconds() > MAX_OCTAL_12) {
            pax.put("mtime", Long.toString(e.mtimeSeconds()).getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = "PaxHeaders.0/" + baseName(name);
            headerBlock(new Entry(truncate(paxName), (byte) 'x', 0644, 0, 0, records.length, clampTime(e.mtimeSeconds()),
                    "", 0, 0, Map.of()));
            out.write(records);
            pad(records.length);
        }
        headerBlock(new Entry(truncate(name), e.type(), e.mode(), e.uid() > MAX_OCTAL_8 ? 0 : e.uid(),
                e.gid() > MAX_OCTAL_8 ? 0 : e.gid(), e.size() > MAX_OCTAL_12 ? 0 : e.size(), clampTime(e.mtimeSeconds()),
                truncate(link), e.devMajor(), e.devMinor(), Map.of()));
        if (e.size() > 0) {
            byte[] buf = new byte[64 * 1024];
            long left = e.size();
            while (left > 0) {
                int n = content.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("\"" + name + "\" shrank while it was written to the layer");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            pad(e.size());
        }
    }

    /** The two zero blocks that end an archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void headerBlock(Entry e) throws IOException {
        TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
        t.setMode(e.mode() & 07777);
        t.setUserId(e.uid());
        t.setGroupId(e.gid());
        t.setUserName("");
        t.setGroupName("");
        t.setSize(e.size());
        t.setModTime(e.mtimeSeconds() * 1000L);
        t.setLinkName(e.linkName());
        t.setDevMajor(e.devMajor());
        t.setDevMinor(e.devMinor());
        java.util.Arrays.fill(block, (byte) 0);
        t.writeEntryHeader(block, UTF8, false);
        out.write(block);
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0) {
            out.write(new byte[padding]);
        }
    }

    private static boolean fitsUstar(String s) {
        if (s.length() > 100) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80 || s.charAt(i) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The ustar field's value when a PAX record carries the real one: ASCII, at most 100 bytes. */
    private static String truncate(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x80 && c != 0 ? c : '_');
        }
        return b.toString();
    }

    private static long clampTime(long seconds) {
        return seconds < 0 ? 0 : Math.min(seconds, MAX_OCTAL_12);
    }

    private static String baseName(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return n.substring(n.lastIndexOf('/') + 1);
    }

    /** "LEN KEY=VALUE\n" records, LEN counting the whole record including its own digits. */
    static byte[] paxRecords(Map<String, byte[]> records) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int rest = 1 + key.length + 1 + r.getValue().length + 1; // ' ' KEY '=' VALUE '\n'
            int len = rest + Integer.toString(rest).length();
            if (Integer.toString(len).length() != Integer.toString(rest).length()) {
                len = rest + Integer.toString(len).length();
            }
            b.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            b.write(' ');
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(r.getValue());
            b.write('\n');
        }
        return b.toByteArray();
    }
}
