package berth.bolt.db;

/**
 * The on-disk constants of bbolt's format (version 2). Every page starts with a 16-byte header:
 * {@code id u64, flags u16, count u16, overflow u32}. Branch elements are {@code pos u32, ksize u32,
 * pgid u64}; leaf elements {@code flags u32, pos u32, ksize u32, vsize u32}; {@code pos} counts from
 * the element itself. A meta page holds {@code magic u32, version u32, pageSize u32, flags u32,
 * root {pgid u64, sequence u64}, freelist u64, pgid u64, txid u64, checksum u64} after the header;
 * the checksum is FNV-1a 64 over the 56 bytes before it. A bucket value is {@code root u64,
 * sequence u64}, followed, when root is 0, by the bucket's single leaf page ("inline bucket").
 */
final class PageFormat {
    static final int HEADER = 16;
    static final int BRANCH_ELEMENT = 16;
    static final int LEAF_ELEMENT = 16;
    static final int BUCKET_HEADER = 16;

    static final int BRANCH = 0x01;
    static final int LEAF = 0x02;
    static final int META = 0x04;
    static final int FREELIST = 0x10;

    /** Leaf element flag: the value is a nested bucket. */
    static final int BUCKET_LEAF = 0x01;

    static final int MAGIC = 0xED0CDAED;
    static final int VERSION = 2;
    static final long NO_FREELIST = 0xffffffffffffffffL;

    static final int MIN_KEYS_PER_PAGE = 2;
    static final double FILL_PERCENT = 0.5;
    static final int MAX_KEY_SIZE = 32768;
    static final int MAX_VALUE_SIZE = (1 << 31) - 2;

    private PageFormat() {
    }

    static String typeName(int flags) {
        if ((flags & BRANCH) != 0) {
            return "branch";
        } else if ((flags & LEAF) != 0) {
            return "leaf";
        } else if ((flags & META) != 0) {
            return "meta";
        } else if ((flags & FREELIST) != 0) {
            return "freelist";
        }
        return String.format("unknown<%02x>", flags);
    }
}
