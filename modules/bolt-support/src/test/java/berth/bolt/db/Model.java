package berth.bolt.db;


import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What a test expects a database to hold: nested sorted maps (a value is a byte[], a nested bucket a
 * Model). It renders the same dump as the Go checker ({@code B path}, {@code K path key value}).
 */
final class Model {
    final TreeMap<byte[], Object> entries = new TreeMap<>(Bytes.ORDER);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Model copy() {
        Model m = new Model();
        for (Map.Entry<byte[], Object> e : entries.entrySet()) {
            m.entries.put(e.getKey(), e.getValue() instanceof Model ? ((Model) e.getValue()).copy() : e.getValue());
        }
        return m;
    }

    Model bucket(byte[] name) {
        Object o = entries.get(name);
        return o instanceof Model ? (Model) o : null;
    }

    /** assertEquals for dumps, with a short message: the first line that differs. */
    static void assertSameDump(List<String> expected, List<String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        String e = i < expected.size() ? expected.get(i) : "<end>";
        String a = i < actual.size() ? actual.get(i) : "<end>";
        throw new AssertionError(what + ": dumps differ at line " + i + " of " + expected.size() + "/" + actual.size()
                + ": expected " + e.substring(0, Math.min(160, e.length())) + " but found " + a.substring(0, Math.min(160, a.length())));
    }

    /** The dump of the top-level buckets (the root holds only buckets, as bbolt requires). */
    List<String> dump() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<byte[], Object> e : entries.entrySet()) {
            dump(HexFormat.of().formatHex(e.getKey()), (Model) e.getValue(), out);
        }
        return out;
    }

    private static void dump(String path, Model m, List<String> out) {
        out.add("B " + path);
        for (Map.Entry<byte[], Object> e : m.entries.entrySet()) {
            String k = HexFormat.of().formatHex(e.getKey());
            if (e.getValue() instanceof Model) {
                dump(path + "/" + k, (Model) e.getValue(), out);
            } else {
                out.add("K " + path + " " + k + " " + HexFormat.of().formatHex((byte[]) e.getValue()));
            }
        }
    }

    /** The same dump, read from a database through berth's reader. */
    static List<String> dump(Tx tx) {
        List<String> out = new ArrayList<>();
        tx.forEachBucket((name, b) -> dump(HexFormat.of().formatHex(name), b, out));
        return out;
    }

    private static void dump(String path, Bucket b, List<String> out) {
        out.add("B " + path);
        List<byte[]> nested = new ArrayList<>();
        List<Object[]> items = new ArrayList<>();
        b.forEach((k, v) -> items.add(new Object[] {k, v}));
        for (Object[] kv : items) {
            byte[] k = (byte[]) kv[0];
            String hk = HexFormat.of().formatHex(k);
            if (kv[1] == null) {
                dump(path + "/" + hk, b.bucket(k), out);
            } else {
                out.add("K " + path + " " + hk + " " + HexFormat.of().formatHex((byte[]) kv[1]));
            }
        }
        nested.clear();
    }

    /**
     * Applies one random transaction's worth of operations to both the model and {@code tx}: puts of
     * small and large values (overflow pages), many keys (branch pages), deletes, nested buckets small
     * (inline) and large, bucket deletion. With a null {@code tx} only the model changes: the random
     * choices depend on the model alone, so a seed replays the same transactions.
     */
    static void randomOps(Random r, Tx tx, Model m, int ops) {
        for (int j = 0; j < ops; j++) {
            byte[] topName = b("top-" + r.nextInt(3));
            Bucket top = tx == null ? null : tx.createBucketIfNotExists(topName);
            Model tm = m.bucket(topName);
            if (tm == null) {
                tm = new Model();
                m.entries.put(topName, tm);
            }
            int op = r.nextInt(12);
            if (op < 5) {
                byte[] k = b(String.format("key-%05d", r.nextInt(2000)));
                if (tm.entries.get(k) instanceof Model) {
                    continue;
                }
                byte[] v = new byte[r.nextInt(120)];
                r.nextBytes(v);
                if (r.nextInt(40) == 0) {
                    v = new byte[5000 + r.nextInt(9000)];
                    r.nextBytes(v);
                }
                if (top != null) {
                    top.put(k, v);
                }
                tm.entries.put(k, v);
            } else if (op < 7) {
                byte[] k = b(String.format("key-%05d", r.nextInt(2000)));
                if (tm.entries.get(k) instanceof Model) {
                    continue;
                }
                if (top != null) {
                    top.delete(k);
                }
                tm.entries.remove(k);
            } else if (op < 9) {
                byte[] name = b(String.format("sub-%03d", r.nextInt(50)));
                Object ex = tm.entries.get(name);
                if (ex != null && !(ex instanceof Model)) {
                    continue;
                }
                Bucket sub = top == null ? null : top.createBucketIfNotExists(name);
                Model sm = ex == null ? new Model() : (Model) ex;
                tm.entries.put(name, sm);
                int n = 1 + r.nextInt(4);
                if (r.nextInt(5) == 0) {
                    n = 40 + r.nextInt(60);
                }
                for (int k = 0; k < n; k++) {
                    byte[] key = b(String.format("s%04d", r.nextInt(500)));
                    byte[] v = new byte[r.nextInt(80)];
                    r.nextBytes(v);
                    if (r.nextInt(6) == 0) {
                        if (sub != null) {
                            sub.delete(key);
                        }
                        sm.entries.remove(key);
                    } else {
                        if (sub != null) {
                            sub.put(key, v);
                        }
                        sm.entries.put(key, v);
                    }
                }
                if (r.nextInt(8) == 0) {
                    byte[] nn = b("nested");
                    Bucket deeper = sub == null ? null : sub.createBucketIfNotExists(nn);
                    Model dm = sm.bucket(nn) != null ? sm.bucket(nn) : new Model();
                    sm.entries.put(nn, dm);
                    byte[] dk = b("d" + r.nextInt(30));
                    if (deeper != null) {
                        deeper.put(dk, dk);
                    }
                    dm.entries.put(dk, dk);
                }
            } else if (op < 10) {
                byte[] name = b(String.format("sub-%03d", r.nextInt(50)));
                if (tm.entries.get(name) instanceof Model) {
                    if (top != null) {
                        top.deleteBucket(name);
                    }
                    tm.entries.remove(name);
                }
            } else {
                // delete a run of keys: empties leaves, merges and collapses branches
                int start = r.nextInt(2000);
                for (int i = start; i < start + 150; i++) {
                    byte[] k = b(String.format("key-%05d", i));
                    if (tm.entries.get(k) instanceof Model) {
                        continue;
                    }
                    if (top != null) {
                        top.delete(k);
                    }
                    tm.entries.remove(k);
                }
            }
        }
    }
}
