package berth.cli;

import berth.kernel.error.BerthException;
import berth.support.Subprocess;
import java.util.function.Consumer;

/**
 * Raw mode and window size of the controlling terminal, through stty(1) so the CLI needs no native
 * code of its own; SIGWINCH through sun.misc.Signal.
 */
final class TerminalMode {
    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /** Raw mode when stdin is a terminal (stty fails otherwise); a no-op mode when it is not. */
    static TerminalMode enterRaw() {
        String s = stty("-g");
        if (s == null) {
            return new TerminalMode(null);
        }
        stty("raw", "-echo");
        return new TerminalMode(s == null ? null : s.strip());
    }

    /** {rows, columns} of the terminal, or null. */
    int[] size() {
        if (saved == null) {
            return null;
        }
        String s = stty("size");
        if (s == null) {
            return null;
        }
        String[] f = s.strip().split("\\s+");
        try {
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }

    void onResize(Consumer<int[]> handler) {
        if (saved == null) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> handler.accept(size()));
        } catch (IllegalArgumentException e) {
            // no SIGWINCH on this platform
        }
    }

    void restore() {
        if (saved != null) {
            stty(saved);
        }
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            // stdin is the terminal stty acts on
            Subprocess.Result r = Subprocess.of(cmd).inheritStdin().run();
            return r.ok() ? r.stdout() : null;
        } catch (BerthException e) {
            return null;
        }
    }
}
