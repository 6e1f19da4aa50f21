package berth.cli;

import java.util.List;

/**
 * A command: name, usage, flags and handler. {@code stopAtPositional} makes everything after the
 * first positional argument positional (run/create/exec: the container's own command line). A
 * {@code hidden} command runs but is left out of help, completion and man pages.
 */
record Cmd(String name, String usage, String description, List<Opt> opts, boolean stopAtPositional, int minArgs,
           Handler handler, boolean hidden) {
    Cmd(String name, String usage, String description, List<Opt> opts, boolean stopAtPositional, int minArgs, Handler handler) {
        this(name, usage, description, opts, stopAtPositional, minArgs, handler, false);
    }

    interface Handler {
        int run(Context ctx, Args args);
    }
}
