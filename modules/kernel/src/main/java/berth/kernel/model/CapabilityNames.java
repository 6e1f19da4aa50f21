package berth.kernel.model;

import java.util.Locale;

/**
 * A capability as a user may write it (any case, with or without {@code CAP_}) in the form podman
 * records and the kernel's names use: upper case, {@code CAP_}-prefixed. Shared by the engine, which
 * also checks the name, and the state plugins that translate podman's records.
 */
public final class CapabilityNames {
    private CapabilityNames() {
    }

    public static String normal(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        return n.startsWith("CAP_") ? n : "CAP_" + n;
    }
}
