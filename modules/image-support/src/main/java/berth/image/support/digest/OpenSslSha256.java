package berth.image.support.digest;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;

/**
 * SHA-256 through libcrypto's {@code SHA256_Init/Update/Final} (in OpenSSL 3 still exported, and
 * the shortest path to its SHA-extension code), called through JNA {@link Function} handles. Input
 * is staged in native memory and handed over 64 KiB at a time, so that small updates (a tar
 * header, one byte) cost a copy, not a native call each.
 */
final class OpenSslSha256 implements Sha256 {
    private static final int STAGE = 64 * 1024;
    /** sizeof(SHA256_CTX) is 112 on every OpenSSL; room to spare. */
    private static final int CTX_SIZE = 256;

    private final Memory ctx = new Memory(CTX_SIZE);
    private final Memory stage = new Memory(STAGE);
    private final Memory out = new Memory(32);
    private int staged;

    OpenSslSha256() {
        init();
    }

    static boolean available() {
        return Calls.INSTANCE.init != null;
    }

    static String unavailableReason() {
        return Calls.INSTANCE.failure;
    }

    private void init() {
        if (Calls.INSTANCE.init.invokeInt(new Object[] {ctx}) != 1) {
            throw new IllegalStateException("SHA256_Init failed");
        }
        staged = 0;
    }

    @Override
    public void update(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, STAGE - staged);
            stage.write(staged, b, off, n);
            staged += n;
            off += n;
            len -= n;
            if (staged == STAGE) {
                flush();
            }
        }
    }

    private void flush() {
        if (staged > 0) {
            if (Calls.INSTANCE.update.invokeInt(new Object[] {ctx, stage, (long) staged}) != 1) {
                throw new IllegalStateException("SHA256_Update failed");
            }
            staged = 0;
        }
    }

    @Override
    public byte[] digest() {
        flush();
        if (Calls.INSTANCE.fin.invokeInt(new Object[] {out, ctx}) != 1) {
            throw new IllegalStateException("SHA256_Final failed");
        }
        byte[] d = out.getByteArray(0, 32);
        init();
        return d;
    }

    /** libcrypto's three functions, looked up once; all null (and a reason) when it cannot be loaded. */
    private static final class Calls {
        static final Calls INSTANCE = new Calls();
        final Function init;
        final Function update;
        final Function fin;
        final String failure;

        private Calls() {
            Function i = null;
            Function u = null;
            Function f = null;
            String why = null;
            try {
                NativeLibrary lib = load();
                i = lib.getFunction("SHA256_Init");
                u = lib.getFunction("SHA256_Update");
                f = lib.getFunction("SHA256_Final");
            } catch (LinkageError | RuntimeException e) {
                i = u = f = null;
                why = e.getMessage();
            }
            init = i;
            update = u;
            fin = f;
            failure = why;
        }

        private static NativeLibrary load() {
            try {
                return NativeLibrary.getInstance("libcrypto.so.3");
            } catch (UnsatisfiedLinkError e) {
                return NativeLibrary.getInstance("libcrypto.so");
            }
        }
    }
}
