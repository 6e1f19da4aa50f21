package berth.image.overlay;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: places where a store process can be made to die by SIGKILL (the engine's convention:
 * the environment variable {@code BERTH_CRASH_AT} names the points), so the tests can check that the
 * next process cleans what a killed pull left. Inert otherwise (one null check).
 */
final class CrashPoints {
    static final List<String> POINTS = List.of("pull:after-fetch", "pull:layer-extracted", "pull:before-image-record");
    private static final String ARMED = System.getenv("BERTH_CRASH_AT");

    private CrashPoints() {
    }

    static void here(String point) {
        if (ARMED == null || !List.of(ARMED.split(",")).contains(point)) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            TimeUnit.SECONDS.sleep(30);
        } catch (Exception e) {
            // fall through: dying is the point
        }
        Runtime.getRuntime().halt(137);
    }
}
