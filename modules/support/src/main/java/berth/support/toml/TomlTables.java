package berth.support.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of a document while it is read, and TOML's rules on defining them: a table is defined
 * once (by a header or by dotted keys, never both), a key is set once, and an inline table or a
 * static array is closed. A method that breaks a rule returns the reason instead of changing anything.
 */
final class TomlTables {
    /** How a table came to be; decides what may still add to it. */
    enum Origin { IMPLICIT, HEADER, DOTTED, INLINE }

    /** A table being read; its entries are tables, arrays of tables or final values. */
    static final class Table {
        final Map<String, Object> entries = new LinkedHashMap<>();
        Origin origin;

        Table(Origin origin) {
            this.origin = origin;
        }
    }

    /** An array of tables, {@code [[name]]}: headers append to it. */
    static final class TableArray {
        final List<Table> tables = new ArrayList<>();
    }

    /** A broken rule: what {@link TomlParser} reports at the key. */
    static final class Clash extends Exception {
        private static final long serialVersionUID = 1L;

        Clash(String reason) {
            super(reason, null, false, false);
        }
    }

    final Table root = new Table(Origin.HEADER);

    /** The table a {@code [keys]} header opens. */
    Table header(List<String> keys) throws Clash {
        Table parent = walk(keys);
        String last = keys.get(keys.size() - 1);
        Object v = parent.entries.get(last);
        if (v == null) {
            Table t = new Table(Origin.HEADER);
            parent.entries.put(last, t);
            return t;
        }
        if (v instanceof Table t && t.origin == Origin.IMPLICIT) {
            t.origin = Origin.HEADER;
            return t;
        }
        throw new Clash(v instanceof Table || v instanceof TableArray ? "table " + dotted(keys) + " is defined twice"
                : "key " + dotted(keys) + " already has a value");
    }

    /** The new table a {@code [[keys]]} header appends. */
    Table arrayHeader(List<String> keys) throws Clash {
        Table parent = walk(keys);
        String last = keys.get(keys.size() - 1);
        Object v = parent.entries.get(last);
        TableArray array;
        if (v == null) {
            array = new TableArray();
            parent.entries.put(last, array);
        } else if (v instanceof TableArray a) {
            array = a;
        } else {
            throw new Clash(v instanceof Table ? "table " + dotted(keys) + " is already defined as a table, not an array of tables"
                    : "key " + dotted(keys) + " already has a value that is not an array of tables");
        }
        Table t = new Table(Origin.HEADER);
        array.tables.add(t);
        return t;
    }

    /** Sets {@code keys} (dotted: the tables between are made) to {@code value} in {@code table}. */
    static void put(Table table, List<String> keys, Object value) throws Clash {
        Table t = table;
        for (int i = 0; i < keys.size() - 1; i++) {
            Object v = t.entries.get(keys.get(i));
            if (v == null) {
                Table sub = new Table(Origin.DOTTED);
                t.entries.put(keys.get(i), sub);
                t = sub;
            } else if (v instanceof Table sub && sub.origin == Origin.DOTTED) {
                t = sub;
            } else {
                throw new Clash(v instanceof Table || v instanceof TableArray
                        ? "dotted key " + dotted(keys) + " adds to table " + dotted(keys.subList(0, i + 1)) + ", which is defined elsewhere"
                        : "key " + dotted(keys.subList(0, i + 1)) + " already has a value that is not a table");
            }
        }
        String last = keys.get(keys.size() - 1);
        if (t.entries.containsKey(last)) {
            throw new Clash("duplicate key " + dotted(keys));
        }
        t.entries.put(last, value);
    }

    /** The table that holds the last key of a header: the tables before it, made when missing. */
    private Table walk(List<String> keys) throws Clash {
        Table t = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            Object v = t.entries.get(keys.get(i));
            if (v == null) {
                Table sub = new Table(Origin.IMPLICIT);
                t.entries.put(keys.get(i), sub);
                t = sub;
            } else if (v instanceof Table sub) {
                t = sub;
            } else if (v instanceof TableArray a) {
                t = a.tables.get(a.tables.size() - 1);
            } else {
                throw new Clash("key " + dotted(keys.subList(0, i + 1)) + " already has a value that is not a table"
                        + (v instanceof Map ? " to add to (an inline table is closed)" : ""));
            }
        }
        return t;
    }

    /** {@code table} as an immutable map in the file's order, and all below it. */
    static Map<String, Object> freeze(Table table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : table.entries.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Table t) {
                v = freeze(t);
            } else if (v instanceof TableArray a) {
                List<Object> list = new ArrayList<>(a.tables.size());
                for (Table t : a.tables) {
                    list.add(freeze(t));
                }
                v = Collections.unmodifiableList(list);
            }
            out.put(e.getKey(), v);
        }
        return Collections.unmodifiableMap(out);
    }

    static String dotted(List<String> keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) {
            if (b.length() > 0) {
                b.append('.');
            }
            boolean bare = !k.isEmpty();
            for (int i = 0; i < k.length() && bare; i++) {
                bare = TomlParser.isBareKeyChar(k.charAt(i));
            }
            b.append(bare ? k : '"' + k.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        return b.toString();
    }
}
