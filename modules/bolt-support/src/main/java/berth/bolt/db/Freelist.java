package berth.bolt.db;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Free page ids, as bbolt's array freelist: {@code free} pages may be reused now; {@code pending}
 * pages were freed by a transaction and become free once no reader can still see them. The page
 * written at commit lists both (a reopened database has no readers).
 */
final class Freelist {
    final TreeSet<Long> free = new TreeSet<>();
    final TreeMap<Long, List<Long>> pending = new TreeMap<>();

    Freelist copy() {
        Freelist f = new Freelist();
        f.free.addAll(free);
        for (Map.Entry<Long, List<Long>> e : pending.entrySet()) {
            f.pending.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        return f;
    }

    int count() {
        int n = free.size();
        for (List<Long> l : pending.values()) {
            n += l.size();
        }
        return n;
    }

    boolean contains(long id) {
        if (free.contains(id)) {
            return true;
        }
        for (List<Long> l : pending.values()) {
            if (l.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes a freelist page needs (bbolt's freelist.size()). */
    int byteSize() {
        int n = count();
        if (n >= 0xFFFF) {
            n++;
        }
        return PageFormat.HEADER + 8 * n;
    }

    /** First fit: the lowest run of {@code n} consecutive free ids, removed from the list; 0 when none. */
    long allocate(int n) {
        long initial = 0;
        long prev = 0;
        for (long id : free) {
            if (prev == 0 || id - prev != 1) {
                initial = id;
            }
            if (id - initial + 1 == n) {
                for (long i = initial; i < initial + n; i++) {
                    free.remove(i);
                }
                return initial;
            }
            prev = id;
        }
        return 0;
    }

    /** Makes the pages of every transaction up to and including {@code txid} free. */
    void release(long txid) {
        Iterator<Map.Entry<Long, List<Long>>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, List<Long>> e = it.next();
            if (Long.compareUnsigned(e.getKey(), txid) <= 0) {
                free.addAll(e.getValue());
                it.remove();
            }
        }
    }

    long[] sortedIds() {
        TreeSet<Long> all = new TreeSet<>(free);
        for (List<Long> l : pending.values()) {
            all.addAll(l);
        }
        long[] out = new long[all.size()];
        int i = 0;
        for (long id : all) {
            out[i++] = id;
        }
        return out;
    }

    /** Writes the freelist page body (flags, count, ids) into {@code buf}, whose header id is set by the caller. */
    void write(byte[] buf) {
        long[] ids = sortedIds();
        Bytes.put16(buf, 8, PageFormat.FREELIST);
        int off = PageFormat.HEADER;
        if (ids.length >= 0xFFFF) {
            Bytes.put16(buf, 10, 0xFFFF);
            Bytes.put64(buf, off, ids.length);
            off += 8;
        } else {
            Bytes.put16(buf, 10, ids.length);
        }
        for (long id : ids) {
            Bytes.put64(buf, off, id);
            off += 8;
        }
    }

    /** The ids a freelist page lists; bounds are checked by the caller's reader. */
    static long[] readIds(byte[] buf) {
        int flags = Bytes.u16(buf, 8);
        if ((flags & PageFormat.FREELIST) == 0) {
            throw new IllegalStateException("is a " + PageFormat.typeName(flags) + " page where the freelist belongs");
        }
        long count = Bytes.u16(buf, 10);
        int off = PageFormat.HEADER;
        if (count == 0xFFFF) {
            count = Bytes.i64(buf, off);
            off += 8;
        }
        if (count < 0 || off + count * 8 > buf.length) {
            throw new IllegalStateException("freelist claims " + count + " ids, more than fit in its pages");
        }
        long[] ids = new long[(int) count];
        for (int i = 0; i < count; i++) {
            ids[i] = Bytes.i64(buf, off + 8 * i);
        }
        return ids;
    }
}
