package berth.kernel.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON to and from plain values (Map, List, String, Long, Double, Boolean, null): {@link JsonReader}
 * reads, {@link JsonWriter} writes. berth's records use explicit codecs on top of this.
 *
 * <p>Why not jackson: every berth command reads and writes JSON, so the codec's first use is on the
 * start-up path of all of them. databind's class loading alone costs more than podman's whole
 * {@code run}; jackson-core's streaming parser initialises {@code java.math.BigDecimal} (about 5 ms
 * on JDK 25) and brings some 80 classes. These two small classes cost neither, and their tests check
 * them against jackson on the same documents.
 */
public final class Json {
    private Json() {
    }

    /** Runs the codec once, so that a background thread can take its first-use cost off the main path. */
    public static void warmUp() {
        try {
            writeBytes(parse("{\"a\":[1,\"b\",true,2.5]}".getBytes(StandardCharsets.UTF_8)));
        } catch (MalformedJsonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown for text that is not valid JSON; its message names the line and column. */
    public static final class MalformedJsonException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Object parse(byte[] bytes) throws MalformedJsonException {
        // strict: malformed UTF-8 is an error naming its byte offset, not a replacement character
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length); // UTF-8: at most one char a byte
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new MalformedJsonException("invalid UTF-8 (" + (result.isMalformed() ? "a malformed" : "an unmappable")
                    + " sequence of " + result.length() + " byte" + (result.length() == 1 ? "" : "s") + ") at byte " + in.position(), null);
        }
        return JsonReader.parse(out.flip().toString());
    }

    public static Object parse(String text) throws MalformedJsonException {
        return JsonReader.parse(text);
    }

    /** Parses a document that must be a JSON object. */
    public static JsonObject parseObject(byte[] bytes) throws MalformedJsonException {
        return asObject(parse(bytes));
    }

    public static JsonObject parseObject(String text) throws MalformedJsonException {
        return asObject(parse(text));
    }

    private static JsonObject asObject(Object v) throws MalformedJsonException {
        if (!(v instanceof Map)) {
            throw new MalformedJsonException("expected a JSON object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return new JsonObject(m);
    }

    /** Compact JSON. */
    public static String write(Object value) {
        return JsonWriter.write(value, false);
    }

    /** Compact, or indented as podman prints it (four spaces, {@code "key": value}) when {@code pretty}. */
    public static String write(Object value, boolean pretty) {
        return JsonWriter.write(value, pretty);
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }
}
