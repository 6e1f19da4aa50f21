package berth.engine.internal;

import berth.support.Names;
import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** New IDs, and names checked as podman checks them ({@link Names}). */
public final class Ids {
    private Ids() {
    }

    /** 64 hex digits from /dev/urandom: SecureRandom's provider lookup costs ~10 ms at start-up. */
    public static String newId() {
        byte[] b = new byte[32];
        try (FileInputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 32) != 32) {
                throw new IOException("short read");
            }
        } catch (IOException e) {
            new SecureRandom().nextBytes(b);
        }
        return HexFormat.of().formatHex(b);
    }

    /** The name itself, when it matches {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; {@code kind} names it in the error. */
    public static String checkName(String name, String kind) {
        Names.requireValidName(kind, name);
        return name;
    }
}
