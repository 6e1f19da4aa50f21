package berth.engine.internal;

import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: named places where a berth process can be made to die by SIGKILL, so that the test suite
 * can check that the next berth process finishes or undoes what the dead one left half done. Inert
 * unless the environment variable {@code BERTH_CRASH_AT} names a point (several, comma-separated);
 * the variable is read once. Point names are {@code operation:step}, listed in {@link #POINTS}.
 */
public final class CrashPoints {
    /** Every point, in the order an operation passes them. */
    public static final java.util.List<String> POINTS = java.util.List.of(
            "create:after-record",
            "init:after-intent", "init:after-netns", "init:after-network-setup", "init:after-spec", "init:after-runtime-create",
            "start:after-runtime-start",
            "stop:after-stopping-saved", "stop:after-runtime-stop",
            "cleanup:after-network-teardown", "cleanup:after-runtime-delete",
            "remove:after-files", "remove:after-record",
            "exec:after-intent", "exec:after-runtime-exec");

    private static final String ARMED = System.getenv("BERTH_CRASH_AT");

    private CrashPoints() {
    }

    /** Dies here by SIGKILL when a test armed this point; otherwise does nothing (one null check). */
    public static void here(String point) {
        if (ARMED == null || !armed(point)) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            TimeUnit.SECONDS.sleep(30); // the signal arrives long before this ends
        } catch (Exception e) {
            // fall through to halt: dying is the point
        }
        Runtime.getRuntime().halt(137);
    }

    private static boolean armed(String point) {
        for (String p : ARMED.split(",")) {
            if (p.strip().equals(point)) {
                return true;
            }
        }
        return false;
    }
}
