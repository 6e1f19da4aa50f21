package berth.cli;

import berth.engine.Engine;
import berth.engine.PruneReport;
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

    static int prune(Context ctx, Args a) {
        if (!a.has("force") && !confirm("WARNING! This command removes:\n\t- all stopped containers\n"
                + "\t- all networks not used by at least one container\n\nAre you sure you want to continue? [y/N] ")) {
            return 0;
        }
        return print(ctx.engine().prune(), true);
    }

    static int reset(Context ctx, Args a) {
        if (!a.has("force") && !confirm("WARNING! This will remove:\n        - all containers\n        - all networks\n"
                + "        - all runtime state, network namespaces and files under " + ctx.engine().config().root() + " and "
                + ctx.engine().config().runRoot() + "\nAre you sure you want to continue? [y/N] ")) {
            return 0;
        }
        return print(ctx.engine().reset(), false);
    }

    /** podman's prune output; errors on stderr, each naming what it could not remove. */
    private static int print(PruneReport r, boolean headers) {
        if (headers) {
            System.out.println("Deleted Containers");
        }
        r.containers().forEach(System.out::println);
        if (headers) {
            System.out.println("Deleted Networks");
        }
        r.networks().forEach(System.out::println);
        if (headers) {
            System.out.println("Deleted Images");
        }
        r.images().forEach(System.out::println);
        if (headers) {
            System.out.println("Total reclaimed space: 0B");
        }
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
