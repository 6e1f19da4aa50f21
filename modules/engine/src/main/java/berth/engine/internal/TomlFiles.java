package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A containers.conf file as plain values: {@link TomlLite} reads what such files hold; a file it
 * cannot read goes to jackson's full TOML parser, whose errors berth reports (podman's files never
 * need it, so commands seldom pay for its loading).
 */
final class TomlFiles {
    private TomlFiles() {
    }

    static Map<String, Object> read(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        try {
            return TomlLite.parse(text);
        } catch (TomlLite.Unsupported e) {
            return full(file, text);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> full(Path file, String text) {
        JsonNode tree;
        try {
            tree = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "");
            throw new BerthException(ErrorCode.CONFIG_INVALID, "malformed TOML in " + file + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        Object v = tree == null ? null : plain(tree);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    /** jackson's tree as the values TomlLite gives (dates and times as their text). */
    static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.isNull() ? null : n.asText();
    }

    /** A value's type as jackson names node types: number, boolean, array, object. */
    static String typeName(Object v) {
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        return v instanceof Number ? "number" : "string";
    }

    /** A scalar as text (jackson's asText): a table or an array has none. */
    static String asText(Object v) {
        return v instanceof Map || v instanceof List || v == null ? "" : String.valueOf(v);
    }
}
