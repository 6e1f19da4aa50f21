package berth.kernel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON on jackson's streaming API, to and from plain values (Map, List, String, Long, Double,
 * Boolean, null). berth's on-disk records are written with explicit codecs on top of this rather
 * than with databind, whose class loading alone costs more than podman's whole {@code run}.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private Json() {
    }

    /** Thrown for text that is not valid JSON; carries the parser's location. */
    public static final class MalformedJsonException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static Object parse(byte[] bytes) throws MalformedJsonException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return parseDocument(p);
        } catch (MalformedJsonException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedJsonException(e.getMessage(), e);
        }
    }

    public static Object parse(String text) throws MalformedJsonException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parseDocument(p);
        } catch (MalformedJsonException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedJsonException(e.getMessage(), e);
        }
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

    private static Object parseDocument(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new MalformedJsonException("empty document", null);
        }
        Object v = readValue(p, t);
        if (p.nextToken() != null) {
            throw new MalformedJsonException("trailing content after JSON value at " + p.currentLocation(), null);
        }
        return v;
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, readValue(p, p.nextToken()));
                }
                if (n != JsonToken.END_OBJECT) {
                    throw new MalformedJsonException("unterminated object", null);
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == null) {
                        throw new MalformedJsonException("unterminated array", null);
                    }
                    l.add(readValue(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new MalformedJsonException("unexpected token " + t + " at " + p.currentLocation(), null);
        }
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
