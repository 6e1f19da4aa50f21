package berth.kernel.spi.runtime;

/**
 * What a runtime knows of a container's process: still running (or never started), exited with a
 * recorded status, or gone without a record (whatever watched it died too, or the host rebooted:
 * the exit code is lost and the engine records -1).
 */
public sealed interface ExitReport permits ExitReport.Running, ExitReport.Exited, ExitReport.Lost {
    /** No exit recorded and the runtime can still record one. */
    record Running() implements ExitReport {
    }

    /** The exit as the runtime recorded it. */
    record Exited(ExitStatus status) implements ExitReport {
    }

    /** No exit recorded, and nothing left that could record it. */
    record Lost() implements ExitReport {
    }

    ExitReport RUNNING = new Running();
    ExitReport LOST = new Lost();
}
