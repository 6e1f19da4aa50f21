package berth.cli;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code berth system migrate-state}. */
final class SystemCommands {
    private SystemCommands() {
    }

    static int migrateState(Context ctx, Args a) {
        String to = a.get("to");
        if (to == null) {
            throw Args.usage("berth system migrate-state", "--to BACKEND is required");
        }
        Engine engine = ctx.engine();
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
            if (text.matches("(?s).*(^|\\n)\\s*database_backend\\s*=.*")) {
                out = text.replaceAll("(?m)^\\s*database_backend\\s*=.*$", line);
            } else if (text.matches("(?s).*(^|\\n)\\[engine]\\s*(\\n.*|$)")) {
                out = text.replaceFirst("(?m)^\\[engine]\\s*$", "[engine]\n" + line);
            } else {
                out = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[engine]\n" + line + "\n";
            }
            AtomicFiles.write(conf, out);
        } catch (IOException | BerthException e) {
            throw new BerthException(ErrorCode.CONFIG_INVALID, "records copied, but cannot update " + conf + ": " + e.getMessage()
                    + "; set database_backend = \"" + to + "\" yourself");
        }
    }
}
