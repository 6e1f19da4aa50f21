package berth.cli;

import berth.engine.Engine;
import berth.engine.ExecOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.AttachResult;
import berth.kernel.model.AttachStreams;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;

/**
 * The terminal side of run/start -a/attach/exec: raw mode for -t, resize on SIGWINCH, restored on the
 * way out. The native calls live in the engine's runtime; this class only asks the engine.
 */
final class Tty {
    private Tty() {
    }

    private static final InputStream STDIN = new FileInputStream(FileDescriptor.in);

    static int attached(Engine e, String id, boolean tty, boolean interactive) {
        return attached(e, id, tty, interactive, java.util.Set.of("stdin", "stdout", "stderr"));
    }

    /** {@code run --attach STREAM}: only the streams named are connected; the others are discarded. */
    static int attached(Engine e, String id, boolean tty, boolean interactive, java.util.Set<String> streamsNamed) {
        java.io.OutputStream none = java.io.OutputStream.nullOutputStream();
        AttachStreams streams = new AttachStreams((interactive || tty) && streamsNamed.contains("stdin") ? STDIN : null,
                streamsNamed.contains("stdout") ? Commands.STDOUT : none, streamsNamed.contains("stderr") ? Commands.STDERR : none,
                AttachStreams.DEFAULT_DETACH_KEYS);
        if (!tty) {
            proxySignals(e, id);
            return e.startAttached(id, streams);
        }
        TerminalMode mode = TerminalMode.enterRaw();
        try {
            mode.onResize(size -> resizeQuietly(e, id, size));
            return e.startAttached(id, streams, mode.size());
        } finally {
            mode.restore();
        }
    }

    /**
     * podman's --sig-proxy (on by default): signals sent to an attached berth go to the container, so
     * ctrl-C in a terminal stops the container rather than orphaning it. (With -t the terminal
     * itself delivers ctrl-C to the container.)
     */
    private static void proxySignals(Engine e, String id) {
        for (String name : new String[] {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> forward(e, id, name));
            } catch (IllegalArgumentException ex) {
                // the JVM reserves this signal here
            }
        }
    }

    /**
     * Sends one proxied signal. The process can run before its record says so (start writes the
     * running state while the runtime starts it), and a signal then is refused as "not running":
     * such a signal waits for the record, a few seconds at most, rather than being lost.
     */
    private static void forward(Engine e, String id, String signal) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                e.kill(id, signal);
                return;
            } catch (BerthException ex) {
                if (ex.code() != ErrorCode.CONTAINER_STATE_INVALID || System.nanoTime() > deadline || !starting(e, id)) {
                    return; // not running any more (or gone): nothing to forward to
                }
            } catch (RuntimeException ex) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean starting(Engine e, String id) {
        try {
            ContainerStatus s = e.container(id).status();
            return s == ContainerStatus.CREATED || s == ContainerStatus.CONFIGURED;
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static void resizeExecQuietly(Engine e, String id, String session, int[] size) {
        if (size == null) {
            return;
        }
        try {
            e.resizeExec(id, session, size[0], size[1]);
        } catch (RuntimeException ex) {
            // the session ended meanwhile, or never started: exec reports that
        }
    }

    private static void resizeQuietly(Engine e, String id, int[] size) {
        if (size == null) {
            return;
        }
        try {
            e.resize(id, size[0], size[1]);
        } catch (RuntimeException ex) {
            // the container may have exited meanwhile
        }
    }

    static AttachResult attach(Engine e, Container c, boolean stdin) {
        AttachStreams streams = new AttachStreams(stdin ? STDIN : null, Commands.STDOUT, Commands.STDERR,
                AttachStreams.DEFAULT_DETACH_KEYS);
        if (!c.config().terminal()) {
            return e.attach(c.id(), streams);
        }
        TerminalMode mode = TerminalMode.enterRaw();
        try {
            mode.onResize(size -> resizeQuietly(e, c.id(), size));
            resizeQuietly(e, c.id(), mode.size());
            return e.attach(c.id(), streams);
        } finally {
            mode.restore();
        }
    }

    static int exec(Engine e, String name, ExecOptions o) {
        AttachStreams streams = new AttachStreams(o.interactive() ? STDIN : null, Commands.STDOUT,
                Commands.STDERR, AttachStreams.DEFAULT_DETACH_KEYS);
        if (!o.terminal() || o.detach()) {
            return e.exec(name, o, streams);
        }
        // the session is named here so that its terminal can take this one's size, now and on SIGWINCH
        String session = Engine.newExecSessionId();
        ExecOptions named = new ExecOptions(o.command(), o.env(), o.workingDir(), o.user(), o.interactive(), o.terminal(), false,
                session);
        TerminalMode mode = TerminalMode.enterRaw();
        try {
            mode.onResize(size -> resizeExecQuietly(e, name, session, size));
            int[] size = mode.size();
            Thread initial = new Thread(() -> resizeExecQuietly(e, name, session, size), "berth-exec-size");
            initial.setDaemon(true);
            initial.start(); // waits for the session's monitor, which the exec below spawns
            return e.exec(name, named, streams);
        } finally {
            mode.restore();
        }
    }
}
