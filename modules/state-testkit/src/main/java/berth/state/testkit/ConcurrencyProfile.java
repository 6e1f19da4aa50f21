package berth.state.testkit;

/**
 * The shape of the suite's several-writer-processes test, chosen by each backend's test class.
 *
 * @param processes child JVMs writing at once
 * @param containersPerProcess containers each of them adds
 * @param updatesPerContainer saves of each container after its add (each changes its state)
 * @param removeHalf whether each process then removes every odd-numbered container of its own
 * @param sharedNames names every process races to claim; exactly one must win each
 * @param timeoutSeconds how long the processes may take together
 */
public record ConcurrencyProfile(int processes, int containersPerProcess, int updatesPerContainer,
                                 boolean removeHalf, int sharedNames, int timeoutSeconds) {
    public ConcurrencyProfile {
        if (processes < 2 || containersPerProcess < 1 || updatesPerContainer < 0 || sharedNames < 0 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("a concurrency profile needs at least 2 processes and 1 container each");
        }
    }

    /** Containers that must be present afterwards, besides the shared names. */
    public int expectedSurvivors() {
        int perProcess = removeHalf ? containersPerProcess - containersPerProcess / 2 : containersPerProcess;
        return processes * perProcess;
    }
}
