package berth.engine.internal;

/**
 * The first process a JVM starts with {@link ProcessBuilder} asks {@code System.getLogger} for the
 * logger of {@code java.lang.ProcessBuilder} (JDK 21+ can log every start). With berth's slf4j
 * logger finder that first lookup costs about 40 ms of CPU, on the path of every networked run: the
 * network backends start processes (CNI plugins, slirp4netns), conmon does not (posix_spawn). So a
 * container about to be started with a network has the lookup made on a helper thread while its
 * record is written and its namespace made.
 */
final class ProcessStarts {
    private ProcessStarts() {
    }

    static void warmUpAsync() {
        Concurrently.run("berth-process-warm-up", () -> System.getLogger("java.lang.ProcessBuilder").isLoggable(System.Logger.Level.DEBUG));
    }
}
