package berth.cli;

import berth.engine.ConfigOverrides;
import berth.kernel.error.BerthException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point: runs one berth command and exits with podman's exit codes (125 for engine errors). */
public final class Main {
    static final List<Opt> GLOBAL = List.of(
            Opt.value("--root", "DIR", "Storage root (default /var/lib/berth)."),
            Opt.value("--runroot", "DIR", "Run root for volatile state (default /run/berth)."),
            Opt.value("--tmpdir", "DIR", "Engine tmp dir (default RUNROOT/libpod; /run/libpod at podman's run root)."),
            Opt.value("--runtime", "NAME", "OCI runtime: runc, crun, runsc or a plugin's."),
            Opt.value("--db-backend", "NAME", "State backend: file, sqlite, boltdb or a plugin's."),
            Opt.value("--storage-driver", "NAME", "Image store driver: overlay (default) or vfs."),
            Opt.value("--log-level", "LEVEL", "Log level passed to conmon: trace, debug, info, warn, warning, error, fatal, panic."),
            Opt.flag("--noout", "Do not write to standard output."),
            Opt.value("--config", "FILE", "containers.conf (default $BERTH_CONFIG, else /etc/berth/containers.conf)."),
            Opt.value("--hooks-dir", "DIRS", "OCI hooks directories, comma-separated."),
            Opt.value("--events-backend", "BACKEND", "Events backend: file or none (default: [engine] events_logger, else file)."),
            Opt.value("--network-backend", "NAME", "Backend of bridge and named networks: cni or netavark (default: [network] network_backend, else cni)."),
            Opt.value("--cgroup-manager", "MANAGER", "Cgroup manager: cgroupfs, berth's only one (accepted for podman's command lines)."),
            Opt.flag("-h,--help", "Show help."),
            Opt.flag("-v,--version", "Show the version."));

    static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "warning", "error", "fatal", "panic");

    /** This process's arguments, for the command line a container records (libpod's CreateCommand). */
    private static List<String> argv = List.of();

    private Main() {
    }

    /** The command line berth was started with: the launcher's path (as podman records its os.Args[0]), then the arguments. */
    static List<String> commandLine() {
        List<String> out = new ArrayList<>(argv.size() + 1);
        out.add(System.getProperty("berth.launcher", "berth"));
        out.addAll(argv);
        return out;
    }

    public static void main(String[] args) {
        String training = System.getProperty("berth.train");
        int rc = training != null ? Training.run(training, args) : run(args);
        berth.kernel.trace.Trace.mark("exit");
        // halt, not exit: every file berth writes is closed (and fsync'ed) before this point, and the
        // orderly JVM shutdown costs a few milliseconds of every command
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(rc);
    }

    public static int run(String... argv) {
        berth.kernel.trace.Trace.mark("main");
        Main.argv = List.of(argv);
        try {
            return dispatch(Arrays.asList(argv));
        } catch (BerthException e) {
            System.err.println("Error: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            System.err.println("Error: " + e);
            if (System.getenv("BERTH_DEBUG") != null) {
                e.printStackTrace();
            }
            return 125;
        }
    }

    private static int dispatch(List<String> argv) {
        // global flags come before the command name
        Cmd global = new Cmd("berth", "berth [global flags] COMMAND [ARG...]", "", GLOBAL, true, 0, null);
        List<String> globalArgv = new ArrayList<>();
        int i = 0;
        while (i < argv.size() && argv.get(i).startsWith("-")) {
            String a = argv.get(i);
            globalArgv.add(a);
            boolean takesValue = GLOBAL.stream().anyMatch(o -> o.takesValue() && o.names().contains(a));
            if (takesValue && i + 1 < argv.size()) {
                globalArgv.add(argv.get(++i));
            }
            i++;
        }
        Args g = Args.parse(global, globalArgv, "berth");
        if (g.has("version")) {
            return Commands.version();
        }
        List<String> rest = argv.subList(i, argv.size());
        if (rest.isEmpty() || g.has("help")) {
            Help.root(System.out);
            return rest.isEmpty() && !g.has("help") ? 125 : 0;
        }
        String level = g.get("log-level");
        if (level != null && !LOG_LEVELS.contains(level.toLowerCase(java.util.Locale.ROOT))) {
            // podman's check and wording (cmd/podman/root.go), its exit code 1
            System.err.println("Log Level \"" + level + "\" is not supported, choose from: " + String.join(", ", LOG_LEVELS));
            return 1;
        }
        String cgroups = g.get("cgroup-manager");
        if (cgroups != null && !cgroups.equals("cgroupfs")) {
            System.err.println("Error: cgroup manager \"" + cgroups + "\" is not supported: berth manages cgroups through cgroupfs only");
            return 125;
        }
        if (g.has("noout")) {
            Commands.STDOUT = java.io.OutputStream.nullOutputStream();
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        }
        berth.kernel.trace.Trace.mark("cli: global flags parsed");
        if (rest.size() == 1 && rest.get(0).equals("version")) {
            // three lines of text: no JSON warm-up, no context, no command table (the hello world's floor is 0.9x podman's)
            return Commands.version();
        }
        boolean events = rest.get(0).equals("events");
        if (!events) {
            // events reads its log without the JSON codec (see EventRendering)
            berth.engine.Engine.warmUpAsync();
        }
        Context ctx = new Context(new ConfigOverrides(g.get("config"), g.get("root"), g.get("runroot"), g.get("runtime"),
                g.get("db-backend"), g.get("log-level"), g.get("hooks-dir"), g.get("storage-driver"), g.get("events-backend"),
                g.get("tmpdir"), g.get("network-backend")));
        if (events) {
            // its command alone: the table's other commands are classes (handlers, lambdas) events never runs
            return Commands.execute(ctx, EventCommands.events(), rest.subList(1, rest.size()), "berth");
        }
        return Commands.execute(ctx, rest, "berth");
    }
}
