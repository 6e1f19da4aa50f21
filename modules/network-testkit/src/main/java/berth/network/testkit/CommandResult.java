package berth.network.testkit;

/** A finished command: its exit status and its output (stdout and stderr together). */
public record CommandResult(int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
