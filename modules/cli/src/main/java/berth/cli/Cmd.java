package berth.cli;

import java.util.List;

/**
 * A command: name, usage, flags and handler. {@code stopAtPositional} makes everything after the
 * first positional argument positional (run/create/exec: the container's own command line).
 */
record Cmd(String name, String usage, String description, List<Opt> opts, boolean stopAtPositional, int minArgs,
           Handler handler) {
    interface Handler {
        int run(Context ctx, Args args);
    }
}
