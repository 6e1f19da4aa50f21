package berth.kernel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON to and from plain values (Map, List, String, Long, Double, Boolean, null). Written with
 * jackson's streaming generator; read with {@link JsonReader} (see there why not jackson's parser).
 * berth's on-disk records use explicit codecs on top of this rather than databind, whose class
 * loading alone costs more than podman's whole {@code run}.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /**
     * Parses and writes a tiny document so that jackson's class initialisation (about 5 ms, most of
     * it BigInteger and BigDecimal constants) can run on a background thread before the first real use.
     */
    public static void warmUp() {
        try {
            writeBytes(parse("{\"a\":[1,\"b\",true]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (MalformedJsonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown for text that is not valid JSON; carries the parser's location. */
    public static final class MalformedJsonException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Object parse(byte[] bytes) throws MalformedJsonException {
        String text;
        try {
            // strict: malformed UTF-8 is an error, not a replacement character
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedJsonException("invalid UTF-8: " + e.getMessage(), e);
        }
        return JsonReader.parse(text);
    }

    public static Object parse(String text) throws MalformedJsonException {
        return JsonReader.parse(text);
    }

    /** Parses a document that must be a JSON object. */
    public static JsonObject parseObject(byte[] bytes) throws MalformedJsonException {
        Object v = parse(bytes);
        if (!(v instanceof Map)) {
            throw new MalformedJsonException("expected a JSON object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return new JsonObject(m);
    }

    public static JsonObject parseObject(String text) throws MalformedJsonException {
        return parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String write(Object value) {
        return write(value, false);
    }

    public static String write(Object value, boolean pretty) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof JsonObject) {
            writeValue(g, ((JsonObject) v).asMap());
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable) {
            g.writeStartArray();
            for (Object o : (Iterable<?>) v) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof JsonWritable) {
            writeValue(g, ((JsonWritable) v).toJson());
        } else if (v instanceof Enum) {
            g.writeString(v.toString());
        } else {
            g.writeString(v.toString());
        }
    }
}
