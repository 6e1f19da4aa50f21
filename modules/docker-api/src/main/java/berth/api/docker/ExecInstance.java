package berth.api.docker;

import berth.engine.ExecOptions;

/** A Docker exec instance: made by exec create, run by exec start, read by exec inspect. */
final class ExecInstance {
    final String id;
    final String containerId;
    final ExecOptions options;
    final boolean attachStdin;
    final boolean attachStdout;
    final boolean attachStderr;
    volatile boolean running;
    volatile Integer exitCode;
    volatile int[] size;

    ExecInstance(String id, String containerId, ExecOptions options, boolean attachStdin, boolean attachStdout, boolean attachStderr) {
        this.id = id;
        this.containerId = containerId;
        this.options = options;
        this.attachStdin = attachStdin;
        this.attachStdout = attachStdout;
        this.attachStderr = attachStderr;
    }
}
