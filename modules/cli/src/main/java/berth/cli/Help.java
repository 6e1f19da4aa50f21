package berth.cli;

import java.io.PrintStream;

/** Usage text generated from the command specs. */
final class Help {
    private Help() {
    }

    static void root(PrintStream out) {
        out.println("berth: a daemonless OCI container engine\n");
        out.println("Usage: berth [global flags] COMMAND [ARG...]\n");
        out.println("Commands:");
        for (Cmd c : Commands.all()) {
            if (c.hidden()) {
                continue;
            }
            out.printf("  %-14s %s%n", c.name(), c.description());
        }
        out.println("\nGlobal flags:");
        opts(out, Main.GLOBAL);
        out.println("\nRun 'berth COMMAND --help' for a command's flags.");
    }

    static void command(PrintStream out, Cmd c, String context) {
        out.println(c.description() + "\n");
        out.println("Usage: " + context + " " + c.usage() + "\n");
        if (!c.opts().isEmpty()) {
            out.println("Flags:");
            opts(out, c.opts());
        }
    }

    private static void opts(PrintStream out, java.util.List<Opt> opts) {
        for (Opt o : opts) {
            String names = String.join(", ", o.names()) + (o.takesValue() ? " " + o.label() : "");
            out.printf("  %-28s %s%n", names, o.help());
        }
    }
}
