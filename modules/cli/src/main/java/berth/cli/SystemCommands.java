package berth.cli;

import berth.engine.Engine;
import berth.engine.PruneReport;
import berth.engine.SystemPruneOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code berth system migrate-state}, {@code prune} and {@code reset}. */
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

    static int prune(Context ctx, Args a) {
        SystemPruneOptions options = new SystemPruneOptions(a.has("all"), a.has("volumes"), a.all("filter"));
        if (!a.has("force") && !confirm(pruneWarning(options))) {
            return 0;
        }
        return printPrune(ctx.engine().prune(options));
    }

    /** podman's createPruneWarningMessage, word for word. */
    static String pruneWarning(SystemPruneOptions options) {
        String volumes = options.volumes() ? "\n\t- all volumes not used by at least one container" : "";
        String images = options.all()
                ? "\n\t- all images without at least one container associated with them\n\t- all build cache"
                : "\n\t- all dangling images\n\t- all dangling build cache";
        return "WARNING! This command removes:\n\t- all stopped containers\n\t- all networks not used by at least one container"
                + volumes + images + "\n\nAre you sure you want to continue? [y/N] ";
    }

    /** podman's order; a heading only above a non-empty list; errors on stderr, each naming what it could not remove. */
    private static int printPrune(PruneReport r) {
        StringBuilder out = new StringBuilder();
        section(out, "Deleted Containers", r.containers());
        section(out, "Deleted Volumes", r.volumes());
        section(out, "Deleted Images", r.images());
        section(out, "Deleted Networks", r.networks());
        out.append("Total reclaimed space: 0B\n");
        System.out.print(out);
        r.errors().forEach(e -> System.err.println("Error: " + e));
        return r.errors().isEmpty() ? 0 : 125;
    }

    private static void section(StringBuilder out, String heading, List<String> names) {
        if (!names.isEmpty()) {
            out.append(heading).append('\n');
            names.forEach(n -> out.append(n).append('\n'));
        }
    }

    static int reset(Context ctx, Args a) {
        if (!a.has("force") && !confirm("WARNING! This will remove:\n        - all containers\n        - all networks\n"
                + "        - all runtime state, network namespaces and files under " + ctx.engine().config().root() + " and "
                + ctx.engine().config().runRoot() + "\nAre you sure you want to continue? [y/N] ")) {
            return 0;
        }
        PruneReport r = ctx.engine().reset();
        r.containers().forEach(System.out::println);
        r.networks().forEach(System.out::println);
        r.errors().forEach(e -> System.err.println("Error: " + e));
        return r.errors().isEmpty() ? 0 : 125;
    }

    /** Asks on the terminal; anything but y or yes is no. */
    private static boolean confirm(String question) {
        System.out.print(question);
        System.out.flush();
        try {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            String answer = in.readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
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
