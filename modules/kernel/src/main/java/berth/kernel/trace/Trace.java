package berth.kernel.trace;

/**
 * Start-up and hot-path timing, printed to stderr when BERTH_TRACE is set: milliseconds since the
 * JVM started and since the previous mark. Costs one static boolean check when off.
 */
public final class Trace {
    private static final boolean ON = System.getenv("BERTH_TRACE") != null;
    private static long last = -1;

    private Trace() {
    }

    public static boolean on() {
        return ON;
    }

    public static void mark(String what) {
        if (!ON) {
            return;
        }
        long now = System.nanoTime();
        // no String.format: its first use loads locale data (~10 ms) and would distort the figures
        long tenths = (now - last) / 100_000;
        String delta = last < 0 ? " (wall clock " + System.currentTimeMillis() + " ms)" : " (+" + tenths / 10 + "." + tenths % 10 + " ms)";
        last = now;
        System.err.println("trace: " + what + delta);
    }
}
