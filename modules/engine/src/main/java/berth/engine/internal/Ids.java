package berth.engine.internal;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.FileInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** New IDs, and names checked as podman checks them. */
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
        if (!validName(name)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid " + kind + " name \"" + name
                    + "\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        return name;
    }

    /** Checked by hand: a regex costs its compilation on every create. */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || !alnum(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!alnum(ch) && ch != '_' && ch != '.' && ch != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean alnum(char ch) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9';
    }
}
