package berth.engine.internal;

import berth.support.Names;
import berth.support.RandomBytes;
import java.util.HexFormat;

/** New IDs, and names checked as podman checks them ({@link Names}). */
public final class Ids {
    private Ids() {
    }

    /** 64 hex digits from /dev/urandom ({@link RandomBytes}: no SecureRandom provider lookup at start-up). */
    public static String newId() {
        return HexFormat.of().formatHex(RandomBytes.of(32));
    }

    /** The name itself, when it matches {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; {@code kind} names it in the error. */
    public static String checkName(String name, String kind) {
        Names.requireValidName(kind, name);
        return name;
    }
}
