package berth.kernel.trace;

/**
 * Start-up and hot-path timing, printed to stderr when BERTH_TRACE is set: milliseconds since the
 * JVM started and since the previous mark. Costs one static boolean check when off.
 */
public final class Trace {
    private static final boolean ON = System.getenv("BERTH_TRACE") != null;
    /** BERTH_TRACE=cpu adds the JVM's CPU time to each mark (reading /proc costs ~1 ms a mark). */
    private static final boolean CPU = "cpu".equals(System.getenv("BERTH_TRACE"));
    private static long last = -1;

    private Trace() {
    }

    public static boolean on() {
        return ON;
    }

    /** CPU time of all this JVM's threads so far, from /proc (trace mode only). */
    private static String cpuMillis() {
        long ns = 0;
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks != null) {
            for (java.io.File t : tasks) {
                try {
                    String s = new String(java.nio.file.Files.readAllBytes(new java.io.File(t, "schedstat").toPath())).trim();
                    ns += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        }
        return ns / 100_000 / 10.0 + " ms";
    }

    public static void mark(String what) {
        if (!ON) {
            return;
        }
        // background threads mark too: one mark at a time, each measured from the one before it
        synchronized (Trace.class) {
            long now = System.nanoTime();
            // no String.format: its first use loads locale data (~10 ms) and would distort the figures
            long tenths = (now - last) / 100_000;
            String delta = last < 0 ? " (wall clock " + System.currentTimeMillis() + " ms)" : " (+" + tenths / 10 + "." + tenths % 10 + " ms)";
            last = now;
            String thread = Thread.currentThread().getName();
            System.err.println("trace: " + what + delta + (CPU ? " cpu " + cpuMillis() : "")
                    + ("main".equals(thread) ? "" : " [" + thread + "]"));
        }
    }
}
