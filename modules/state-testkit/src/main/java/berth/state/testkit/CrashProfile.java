package berth.state.testkit;

/**
 * The shape of the suite's SIGKILL test: {@code rounds} times a writer process is started on the
 * same store and killed with SIGKILL once it has acknowledged at least {@code acksBeforeKill}
 * operations (plus a random few milliseconds, so the kill lands at varying points of a write).
 *
 * @param updatesPerContainer saves of each container after its add; odd-numbered containers are then removed
 */
public record CrashProfile(int rounds, int acksBeforeKill, int updatesPerContainer) {
    public CrashProfile {
        if (rounds < 1 || acksBeforeKill < 1 || updatesPerContainer < 0) {
            throw new IllegalArgumentException("a crash profile needs at least one round and one acknowledgement");
        }
    }
}
