package berth.bolt.db;

import berth.kernel.error.BerthException;
import berth.bolt.db.Node.Inode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consistency check of a transaction's view, as bbolt's tx.Check (every page below the high-water
 * mark is reachable exactly once or free, never both; reachable pages are branch or leaf pages)
 * plus key order inside and across pages.
 */
final class Checker {
    private Checker() {
    }

    static List<String> check(Tx tx) {
        List<String> errors = new ArrayList<>();
        Meta m = tx.meta;
        Set<Long> freed = new HashSet<>();
        Map<Long, Boolean> reachable = new HashMap<>();
        reachable.put(0L, true);
        reachable.put(1L, true);
        if (m.freelist != PageFormat.NO_FREELIST) {
            try {
                byte[] fl = tx.pageBytes(m.freelist);
                long overflow = Bytes.u32(fl, 12);
                for (long i = 0; i <= overflow; i++) {
                    reachable.put(m.freelist + i, true);
                }
                for (long id : Freelist.readIds(fl)) {
                    if (!freed.add(id)) {
                        errors.add("page " + id + ": already freed");
                    }
                }
            } catch (BerthException | IllegalStateException e) {
                errors.add("freelist: " + e.getMessage());
            }
        }
        Set<Long> seen = new HashSet<>(reachable.keySet());
        collect(tx, tx.root(), seen, freed, errors);
        if (m.freelist == PageFormat.NO_FREELIST) {
            return errors;
        }
        for (long i = 0; i < m.pgid; i++) {
            if (!seen.contains(i) && !freed.contains(i)) {
                errors.add("page " + i + ": unreachable unfreed");
            }
        }
        return errors;
    }

    /** The pages reachable from the root bucket (for rebuilding a freelist that was not synced). */
    static void collectReachable(Tx tx, Set<Long> reachable, List<String> errors) {
        List<String> errs = errors != null ? errors : new ArrayList<>();
        collect(tx, tx.root(), reachable, new HashSet<>(), errs);
        if (errors == null && !errs.isEmpty()) {
            throw tx.db.corrupt("cannot rebuild the freelist: " + errs.get(0));
        }
    }

    private static void collect(Tx tx, Bucket b, Set<Long> reachable, Set<Long> freed, List<String> errors) {
        if (b.root != 0) {
            walk(tx, b, b.root, null, null, 0, reachable, freed, errors);
        }
        byte[][] prev = {null};
        List<byte[]> nested = new ArrayList<>();
        try {
            b.forEach((k, v) -> {
                if (prev[0] != null && Bytes.compare(prev[0], k) >= 0) {
                    errors.add("bucket " + b.describe() + ": keys out of order at " + Bytes.printable(k));
                }
                prev[0] = k;
                if (v == null) {
                    nested.add(k);
                }
            });
        } catch (BerthException e) {
            errors.add("bucket " + b.describe() + ": " + e.getMessage());
            return;
        }
        for (byte[] k : nested) {
            try {
                Bucket c = b.bucket(k);
                collect(tx, c, reachable, freed, errors);
            } catch (BerthException e) {
                errors.add("bucket " + b.describe() + "/" + Bytes.printable(k) + ": " + e.getMessage());
            }
        }
    }

    private static void walk(Tx tx, Bucket b, long pgid, byte[] lo, byte[] hi, int depth, Set<Long> reachable, Set<Long> freed, List<String> errors) {
        if (depth > 64) {
            errors.add("page " + pgid + ": tree deeper than 64 levels (cycle?)");
            return;
        }
        if (pgid >= tx.meta.pgid) {
            errors.add("page " + pgid + ": out of bounds: " + tx.meta.pgid);
            return;
        }
        Node n;
        try {
            n = tx.node(pgid);
        } catch (BerthException e) {
            errors.add("page " + pgid + ": " + e.getMessage());
            return;
        }
        for (long i = 0; i <= n.overflow; i++) {
            if (!reachable.add(pgid + i)) {
                errors.add("page " + (pgid + i) + ": multiple references");
            }
        }
        if (freed.contains(pgid)) {
            errors.add("page " + pgid + ": reachable freed");
        }
        for (int i = 0; i < n.inodes.size(); i++) {
            byte[] k = n.inodes.get(i).key;
            if (i > 0 && Bytes.compare(n.inodes.get(i - 1).key, k) >= 0) {
                errors.add("page " + pgid + ": keys out of order at element " + i);
            }
            if (lo != null && Bytes.compare(k, lo) < 0) {
                errors.add("page " + pgid + ": key " + Bytes.printable(k) + " below its branch key " + Bytes.printable(lo));
            }
            if (hi != null && Bytes.compare(k, hi) >= 0) {
                errors.add("page " + pgid + ": key " + Bytes.printable(k) + " not below the next branch key " + Bytes.printable(hi));
            }
        }
        if (!n.leaf) {
            for (int i = 0; i < n.inodes.size(); i++) {
                Inode in = n.inodes.get(i);
                byte[] clo = i == 0 ? lo : in.key;
                byte[] chi = i + 1 < n.inodes.size() ? n.inodes.get(i + 1).key : hi;
                walk(tx, b, in.pgid, clo, chi, depth + 1, reachable, freed, errors);
            }
        }
    }
}
