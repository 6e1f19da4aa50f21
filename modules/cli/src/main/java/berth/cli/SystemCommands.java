package berth.cli;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code berth system migrate-state}. */
@Command(name = "system", description = "Manage berth itself.", subcommands = {SystemCommands.MigrateState.class})
final class SystemCommands implements Runnable {
    @ParentCommand
    BerthCommand root;

    @Option(names = {"-h", "--help"}, usageHelp = true)
    boolean help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "migrate-state", description = "Copy every container record to another state backend, verify, then switch the configuration to it.")
    static final class MigrateState implements Callable<Integer> {
        @ParentCommand
        SystemCommands parent;

        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;

        @Option(names = "--to", required = true, description = "Target backend: sqlite, file, boltdb or a plugin's.")
        String to;

        @Override
        public Integer call() {
            var engine = parent.root.engine();
            String from = engine.config().stateBackend();
            if (from.equals(to)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "the state is already kept by the " + to + " backend");
            }
            int n = engine.copyStateTo(to);
            Path conf = engine.config().configFile() != null ? engine.config().configFile() : Path.of("/etc/berth/containers.conf");
            switchBackend(conf, to);
            System.out.println("migrated " + n + " containers from " + from + " to " + to + "; " + conf + " now selects " + to);
            return 0;
        }

        /** Sets [engine] database_backend in the file, atomically, keeping every other line. */
        private static void switchBackend(Path conf, String to) {
            try {
                String text = Files.exists(conf) ? Files.readString(conf) : "";
                String line = "database_backend = \"" + to + "\"";
                String out;
                if (text.matches("(?s).*^\\s*database_backend\\s*=.*")) {
                    out = text.replaceAll("(?m)^\\s*database_backend\\s*=.*$", line);
                } else if (text.matches("(?s).*^\\[engine]\\s*$.*")) {
                    out = text.replaceFirst("(?m)^\\[engine]\\s*$", "[engine]\n" + line);
                } else {
                    out = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[engine]\n" + line + "\n";
                }
                Files.createDirectories(conf.getParent());
                Path tmp = conf.resolveSibling("." + conf.getFileName() + ".tmp");
                Files.writeString(tmp, out);
                Files.move(tmp, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new BerthException(ErrorCode.CONFIG_INVALID, "records copied, but cannot update " + conf + ": " + e.getMessage()
                        + "; set database_backend = \"" + to + "\" yourself");
            }
        }
    }
}
