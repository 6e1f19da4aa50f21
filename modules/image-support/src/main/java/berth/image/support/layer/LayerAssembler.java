package berth.image.support.layer;

import berth.image.support.digest.Sha256;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Rebuilds a layer's original tar, byte for byte, from its tar-split metadata and the directory it
 * was extracted into (as containers/storage does for save and push): raw segments are written as
 * stored, each file's content is read from the directory and checked against the crc64 recorded
 * for it. Files are looked up inside the directory by the same rules as extraction, so a tar-split
 * naming {@code ../x} reads nothing outside.
 */
public final class LayerAssembler {
    private LayerAssembler() {
    }

    /**
     * Writes the tar that {@code tarSplit} (uncompressed JSON lines) describes to {@code out} (not
     * closed) and returns its diff ID, {@code sha256:<hex>}.
     *
     * @throws IOException for malformed tar-split, a file that is missing or whose size or crc64
     *     differs from the recorded one ({@code file integrity checksum failed for "NAME"})
     */
    public static String assemble(InputStream tarSplit, Path diffDir, OutputStream out) throws IOException {
        RootedResolver resolver = new RootedResolver(diffDir.toRealPath());
        Sha256 sha256 = Sha256.create();
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        BufferedReader lines = new BufferedReader(new InputStreamReader(tarSplit, StandardCharsets.UTF_8));
        byte[] buf = new byte[64 * 1024];
        Crc64 crc = new Crc64();
        String line;
        int lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonObject e = Json.parseObject(line);
            long type = e.lng("type", 0);
            if (type == TarSplitPacker.SEGMENT) {
                byte[] payload = base64(e, "payload", lineNumber);
                buffered.write(payload);
                sha256.update(payload);
            } else if (type == TarSplitPacker.FILE) {
                long size = e.lng("size", 0);
                if (size == 0) {
                    continue;
                }
                String name = e.has("name_raw") ? new String(base64(e, "name_raw", lineNumber), StandardCharsets.UTF_8) : e.str("name", "");
                Path file = locate(resolver, name);
                crc.reset();
                long left = size;
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new IOException("file integrity checksum failed for \"" + name + "\": it is shorter than " + size + " bytes");
                        }
                        buffered.write(buf, 0, n);
                        sha256.update(buf, 0, n);
                        crc.update(buf, 0, n);
                        left -= n;
                    }
                    if (in.read() >= 0) {
                        throw new IOException("file integrity checksum failed for \"" + name + "\": it is longer than " + size + " bytes");
                    }
                }
                if (!Arrays.equals(crc.sum(), base64(e, "payload", lineNumber))) {
                    throw new IOException("file integrity checksum failed for \"" + name + "\"");
                }
            } else {
                throw new IOException("tar-split line " + lineNumber + ": unknown entry type " + type);
            }
        }
        buffered.flush();
        return sha256.digestString();
    }

    private static Path locate(RootedResolver resolver, String name) throws IOException {
        List<String> parts = RootedResolver.components(name, "tar-split entry");
        Path dir = parts.isEmpty() ? null : resolver.directory(parts.subList(0, parts.size() - 1), RootedResolver.Missing.ABSENT, name);
        Path file = dir == null ? null : dir.resolve(parts.get(parts.size() - 1));
        BasicFileAttributes a = file == null ? null : RootedResolver.lstat(file);
        if (a == null || !a.isRegularFile()) {
            throw new IOException("cannot assemble the layer: \"" + name + "\" is " + (a == null ? "missing" : "not a regular file")
                    + " in " + resolver.root());
        }
        return file;
    }

    private static byte[] base64(JsonObject e, String key, int lineNumber) throws IOException {
        Object v = e.raw(key);
        if (v == null) {
            return new byte[0];
        }
        if (!(v instanceof String s)) {
            throw new IOException("tar-split line " + lineNumber + ": \"" + key + "\" is not a string");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException ex) {
            throw new IOException("tar-split line " + lineNumber + ": \"" + key + "\" is not base64", ex);
        }
    }
}
