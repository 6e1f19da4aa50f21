package berth.image.support.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes tar-split metadata (github.com/vbatts/tar-split, {@code tar/storage}): one JSON document a
 * line, {@code {"type":2,"payload":<base64>,"position":N}} for raw bytes of the tar (headers,
 * padding, the end blocks) and {@code {"type":1,"name":...,"size":N,"payload":<base64 crc64>,"position":N}}
 * for a file's content, which is not stored. The bytes are those Go's {@code encoding/json} Encoder
 * writes for tar-split's {@code Entry} struct (field order, omitempty, HTML-safe escaping), so the
 * file is the one containers/storage writes for the same layer, line for line.
 */
final class TarSplitPacker {
    /** tar-split's storage.FileType (Go: {@code 1 + iota}). */
    static final int FILE = 1;
    /** tar-split's storage.SegmentType. */
    static final int SEGMENT = 2;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final OutputStream out;
    private final Set<String> seenNames = new HashSet<>();
    private final StringBuilder line = new StringBuilder(1024);
    private int position;

    TarSplitPacker(OutputStream out) {
        this.out = out;
    }

    /** Raw bytes of the tar stream. */
    void segment(byte[] payload, int off, int len) throws IOException {
        line.setLength(0);
        line.append("{\"type\":").append(SEGMENT).append(",\"payload\":\"");
        line.append(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(payload, off, off + len)));
        line.append("\",\"position\":").append(position).append("}\n");
        emit();
    }

    /**
     * A file entry: its name as in the header, its size as the header says and the crc64 of its
     * content (null when the size is 0: Go marshals the nil slice as null).
     *
     * @throws IOException when the name was seen before: tar-split refuses such archives
     *     ("duplicates of file paths not supported"), and containers/storage with it
     */
    void file(byte[] name, long size, byte[] crc) throws IOException {
        String latin1 = new String(name, StandardCharsets.ISO_8859_1);
        if (!seenNames.add(goClean(latin1))) {
            throw new IOException("duplicates of file paths not supported: \"" + new String(name, StandardCharsets.UTF_8) + "\"");
        }
        line.setLength(0);
        line.append("{\"type\":").append(FILE);
        String utf8 = strictUtf8(name);
        if (utf8 == null) {
            line.append(",\"name_raw\":\"").append(Base64.getEncoder().encodeToString(name)).append('"');
        } else if (!utf8.isEmpty()) {
            line.append(",\"name\":");
            goString(line, utf8);
        }
        if (size != 0) {
            line.append(",\"size\":").append(size);
        }
        line.append(",\"payload\":");
        if (crc == null) {
            line.append("null");
        } else {
            line.append('"').append(Base64.getEncoder().encodeToString(crc)).append('"');
        }
        line.append(",\"position\":").append(position).append("}\n");
        emit();
    }

    private void emit() throws IOException {
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        position++;
    }

    static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A JSON string as Go's encoder (HTML escaping on, Go before 1.22) writes it. */
    static void goString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Go's path/filepath.Clean on Unix: purely lexical. */
    static String goClean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
