package berth.cli;

import berth.kernel.error.BerthException;
import picocli.CommandLine;

/** Entry point: runs one berth command and exits with podman's exit code conventions. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new BerthCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex;
            if (t instanceof BerthException) {
                BerthException b = (BerthException) t;
                System.err.println("Error: " + b.getMessage());
                return b.exitCode();
            }
            System.err.println("Error: " + t);
            if (System.getenv("BERTH_DEBUG") != null) {
                t.printStackTrace();
            }
            return 125;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("Error: " + ex.getMessage());
            System.err.println("See 'berth " + String.join(" ", ex.getCommandLine().getCommandSpec().qualifiedName().replaceFirst("^berth ?", "")) + " --help'");
            return 125;
        });
        cl.setStopAtPositional(false);
        return cl.execute(args);
    }
}
