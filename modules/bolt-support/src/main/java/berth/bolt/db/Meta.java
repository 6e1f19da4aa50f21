package berth.bolt.db;

/** The contents of a meta page: the root of everything a transaction sees. */
final class Meta {
    static final int SIZE = 64;
    static final int CHECKSUMMED = 56;

    int magic;
    int version;
    int pageSize;
    int flags;
    long root;
    long rootSequence;
    long freelist;
    long pgid;
    long txid;
    long checksum;

    Meta copy() {
        Meta m = new Meta();
        m.magic = magic;
        m.version = version;
        m.pageSize = pageSize;
        m.flags = flags;
        m.root = root;
        m.rootSequence = rootSequence;
        m.freelist = freelist;
        m.pgid = pgid;
        m.txid = txid;
        m.checksum = checksum;
        return m;
    }

    /** Reads the meta struct at {@code off} (just past a page header). */
    static Meta read(byte[] b, int off) {
        Meta m = new Meta();
        m.magic = (int) Bytes.u32(b, off);
        m.version = (int) Bytes.u32(b, off + 4);
        m.pageSize = (int) Bytes.u32(b, off + 8);
        m.flags = (int) Bytes.u32(b, off + 12);
        m.root = Bytes.i64(b, off + 16);
        m.rootSequence = Bytes.i64(b, off + 24);
        m.freelist = Bytes.i64(b, off + 32);
        m.pgid = Bytes.i64(b, off + 40);
        m.txid = Bytes.i64(b, off + 48);
        m.checksum = Bytes.i64(b, off + 56);
        return m;
    }

    private void writeFields(byte[] b, int off) {
        Bytes.put32(b, off, magic);
        Bytes.put32(b, off + 4, version);
        Bytes.put32(b, off + 8, pageSize);
        Bytes.put32(b, off + 12, flags);
        Bytes.put64(b, off + 16, root);
        Bytes.put64(b, off + 24, rootSequence);
        Bytes.put64(b, off + 32, freelist);
        Bytes.put64(b, off + 40, pgid);
        Bytes.put64(b, off + 48, txid);
    }

    long sum64() {
        byte[] b = new byte[SIZE];
        writeFields(b, 0);
        return Bytes.fnv1a64(b, 0, CHECKSUMMED);
    }

    /** Null when valid, else why not (bbolt's meta.validate: magic, version, checksum; a zero checksum is not checked). */
    String problem() {
        if (magic != PageFormat.MAGIC) {
            return String.format("bad magic 0x%08x", magic);
        } else if (version != PageFormat.VERSION) {
            return "unsupported version " + Integer.toUnsignedString(version);
        } else if (checksum != 0 && checksum != sum64()) {
            return "checksum mismatch";
        }
        return null;
    }

    /** A whole meta page: header with id txid % 2, the fields, a fresh checksum. */
    byte[] toPage(int size) {
        byte[] b = new byte[size];
        Bytes.put64(b, 0, Long.remainderUnsigned(txid, 2));
        Bytes.put16(b, 8, PageFormat.META);
        checksum = sum64();
        writeFields(b, PageFormat.HEADER);
        Bytes.put64(b, PageFormat.HEADER + 56, checksum);
        return b;
    }

    @Override
    public String toString() {
        return "meta{txid=" + txid + ", root=" + root + ", freelist=" + freelist + ", pgid=" + pgid + ", pageSize=" + pageSize + "}";
    }
}
