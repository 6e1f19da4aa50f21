package berth.state.bolt;

import berth.bolt.db.Bucket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * libpod lock numbers for the records berth writes: the lowest number no container in the
 * database holds (podman takes the lowest free bit of its lock bitmap, so the numbers look alike).
 * Read from each config's {@code "lockID":N} without parsing the whole record.
 */
final class LockIds {
    private static final byte[] KEY = "\"lockID\":".getBytes(StandardCharsets.US_ASCII);

    private LockIds() {
    }

    static long next(Bucket ctrs) {
        BitSet used = new BitSet();
        List<byte[]> ids = new ArrayList<>();
        ctrs.forEach((k, v) -> {
            if (v == null) {
                ids.add(k);
            }
        });
        for (byte[] id : ids) {
            Bucket cb = ctrs.bucket(id);
            byte[] config = cb == null ? null : cb.get(BoltStateStore.CONFIG);
            long n = config == null ? -1 : lockId(config);
            if (n >= 0 && n < Integer.MAX_VALUE) {
                used.set((int) n);
            }
        }
        return used.nextClearBit(0);
    }

    /** The first {@code "lockID":N} in a config, or -1. */
    static long lockId(byte[] config) {
        outer:
        for (int i = 0; i + KEY.length < config.length; i++) {
            for (int j = 0; j < KEY.length; j++) {
                if (config[i + j] != KEY[j]) {
                    continue outer;
                }
            }
            long n = 0;
            int k = i + KEY.length;
            if (k >= config.length || config[k] < '0' || config[k] > '9') {
                return -1;
            }
            while (k < config.length && config[k] >= '0' && config[k] <= '9') {
                n = n * 10 + (config[k++] - '0');
            }
            return n;
        }
        return -1;
    }
}
