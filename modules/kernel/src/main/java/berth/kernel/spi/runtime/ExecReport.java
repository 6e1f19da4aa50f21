package berth.kernel.spi.runtime;

/**
 * What a runtime knows of an exec session now: its process (or the monitor that will start it) still
 * runs, it exited with a recorded code, or nothing of it runs and no exit was recorded (it never
 * started, or its monitor died). Asked by whichever berth process finds a session its starter left.
 */
public sealed interface ExecReport permits ExecReport.Running, ExecReport.Exited, ExecReport.Gone {
    /** Still running; {@code pid} is the process's, 0 while the runtime has not started it yet. */
    record Running(int pid) implements ExecReport {
    }

    record Exited(int exitCode) implements ExecReport {
    }

    record Gone() implements ExecReport {
    }
}
