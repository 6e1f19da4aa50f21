package berth.cli;

import berth.engine.CreateOptions;
import berth.engine.Engine;
import berth.engine.ExecOptions;
import berth.engine.LogOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.model.PortMapping;
import berth.kernel.spi.runtime.AttachResult;
import berth.kernel.spi.runtime.AttachStreams;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The container commands, podman's names and flags. */
final class ContainerCommands {
    private ContainerCommands() {
    }

    /** Unbuffered streams on the process's own descriptors: container output must not wait in a buffer. */
    static final OutputStream STDOUT = new FileOutputStream(FileDescriptor.out);
    static final OutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    /** Common base: the root command (for the engine) and -h. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        Object parent;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;

        Engine engine() {
            Object p = parent;
            while (p instanceof ContainerGroup) {
                p = ((ContainerGroup) p).parent;
            }
            return ((BerthCommand) p).engine();
        }
    }

    /** Flags shared by create and run. */
    static final class CreateFlags {
        @Option(names = "--name", description = "Name of the container.")
        String name;
        @Option(names = "--rootfs", description = "The first argument is a root filesystem directory (podman's flag).")
        boolean rootfs;
        @Option(names = {"-e", "--env"}, description = "Set environment variables (NAME=VALUE, or NAME to copy).")
        List<String> env = new ArrayList<>();
        @Option(names = {"-w", "--workdir"}, description = "Working directory in the container.")
        String workdir;
        @Option(names = {"-u", "--user"}, description = "User: name|uid[:group|gid].")
        String user;
        @Option(names = "--hostname", description = "Container host name.")
        String hostname;
        @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
        boolean tty;
        @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.")
        boolean interactive;
        @Option(names = {"-v", "--volume"}, description = "Bind mount HOST-DIR:CONTAINER-DIR[:ro].")
        List<String> volumes = new ArrayList<>();
        @Option(names = "--tmpfs", description = "Mount a tmpfs: DIR[:options].")
        List<String> tmpfs = new ArrayList<>();
        @Option(names = {"--network", "--net"}, description = "none, host, bridge, slirp4netns[:opts] or a network name.")
        String network;
        @Option(names = {"-p", "--publish"}, description = "Publish a port: [ip:]hostPort:containerPort[/tcp|udp].")
        List<String> publish = new ArrayList<>();
        @Option(names = "--restart", description = "Restart policy: no, on-failure[:N], always, unless-stopped.")
        String restart;
        @Option(names = "--stop-signal", description = "Signal to stop the container (default TERM).")
        String stopSignal;
        @Option(names = "--stop-timeout", description = "Seconds to wait before SIGKILL (default 10).")
        Integer stopTimeout;
        @Option(names = "--log-driver", description = "k8s-file (default) or none.")
        String logDriver;
        @Option(names = {"-m", "--memory"}, description = "Memory limit, e.g. 64m.")
        String memory;
        @Option(names = "--cpus", description = "Number of CPUs, e.g. 1.5.")
        String cpus;
        @Option(names = "--pids-limit", description = "Maximum number of processes.")
        Long pidsLimit;
        @Option(names = "--requires", description = "Containers that must run before this one (comma-separated).")
        List<String> requires = new ArrayList<>();
        @Option(names = "--rm", description = "Remove the container when it exits.")
        boolean rm;
        @Option(names = {"-l", "--label"}, description = "Label KEY=VALUE.")
        List<String> labels = new ArrayList<>();
        @Option(names = "--annotation", description = "Annotation KEY=VALUE.")
        List<String> annotations = new ArrayList<>();
        @Option(names = "--runtime", description = "OCI runtime for this container.")
        String runtime;

        CreateOptions toOptions(List<String> positional) {
            if (positional.isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "missing root filesystem: berth run [options] --rootfs DIR COMMAND [ARG...]");
            }
            String first = positional.get(0);
            if (!rootfs && !Files.isDirectory(Path.of(first))) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "\"" + first
                        + "\" is not a root filesystem directory; images are not supported yet, give --rootfs DIR");
            }
            return new CreateOptions(name, first, positional.subList(1, positional.size()), env, workdir, user, hostname, tty,
                    interactive, volumes, tmpfs, network, publish, restart, stopSignal, stopTimeout, logDriver, runtime,
                    memory, cpus, pidsLimit, requires, rm, kv(labels), kv(annotations));
        }
    }

    static Map<String, String> kv(List<String> list) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : list) {
            int eq = s.indexOf('=');
            m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "create", description = "Create a container without starting it.")
    static final class Create extends Base {
        @Mixin
        CreateFlagsMixin flags;
        @Parameters(arity = "1..*", paramLabel = "ROOTFS [COMMAND [ARG...]]")
        List<String> positional = new ArrayList<>();

        @Override
        public Integer call() {
            Container c = engine().create(flags.f.toOptions(positional));
            System.out.println(c.id());
            return 0;
        }
    }

    /** picocli mixins must be classes with annotated fields; this wraps CreateFlags. */
    static final class CreateFlagsMixin {
        @picocli.CommandLine.ArgGroup(exclusive = false, multiplicity = "0..1")
        CreateFlags f = new CreateFlags();
    }

    @Command(name = "run", description = "Run a command in a new container.")
    static final class Run extends Base {
        @Mixin
        CreateFlagsMixin flags;
        @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container ID.")
        boolean detach;
        @Option(names = {"-a", "--attach"}, description = "Ignored: run attaches stdout and stderr unless -d.")
        List<String> attach = new ArrayList<>();
        @Parameters(arity = "1..*", paramLabel = "ROOTFS [COMMAND [ARG...]]")
        List<String> positional = new ArrayList<>();

        @Override
        public Integer call() {
            Engine e = engine();
            CreateOptions o = flags.f.toOptions(positional);
            Container c = e.create(o);
            if (detach) {
                try {
                    e.start(c.id());
                } catch (BerthException ex) {
                    removeQuietly(e, c, o.autoRemove());
                    throw ex;
                }
                System.out.println(c.id());
                return 0;
            }
            try {
                int code = Tty.attached(e, c.id(), o.terminal(), o.interactive(), true);
                return code < 0 ? 0 : code;
            } catch (BerthException ex) {
                removeQuietly(e, c, o.autoRemove());
                throw ex;
            }
        }
    }

    static void removeQuietly(Engine e, Container c, boolean autoRemove) {
        if (!autoRemove) {
            return;
        }
        try {
            e.remove(c.id(), true, 0);
        } catch (BerthException ignored) {
            // the original error is what the user needs to see
        }
    }

    @Command(name = "start", description = "Start one or more containers.")
    static final class Start extends Base {
        @Option(names = {"-a", "--attach"}, description = "Attach to the container's output and return its exit code.")
        boolean attach;
        @Option(names = {"-i", "--interactive"}, description = "Attach stdin.")
        boolean interactive;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            if (attach) {
                if (names.size() != 1) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "start --attach takes exactly one container");
                }
                Container c = e.container(names.get(0));
                int code = Tty.attached(e, c.id(), c.config().terminal(), interactive || c.config().stdin(), false);
                return code < 0 ? 0 : code;
            }
            return forEach(names, n -> {
                e.start(n);
                System.out.println(n);
            });
        }
    }

    interface Action {
        void apply(String name);
    }

    /** Applies to each name; reports each failure and returns the last error's exit code, as podman. */
    static int forEach(List<String> names, Action a) {
        int rc = 0;
        for (String n : names) {
            try {
                a.apply(n);
            } catch (BerthException ex) {
                System.err.println("Error: " + ex.getMessage());
                rc = ex.exitCode();
            }
        }
        return rc;
    }

    @Command(name = "stop", description = "Stop one or more containers: stop signal, then SIGKILL after the timeout.")
    static final class Stop extends Base {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing (default: the container's stop timeout).")
        Integer time;
        @Option(names = {"-a", "--all"}, description = "Stop all running containers.")
        boolean all;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            Engine e = engine();
            List<String> targets = all ? runningIds(e) : names;
            return forEach(targets, n -> {
                e.stop(n, time);
                System.out.println(n);
            });
        }
    }

    static List<String> runningIds(Engine e) {
        List<String> ids = new ArrayList<>();
        for (Container c : e.containers()) {
            if (c.status().isRunningOrPaused()) {
                ids.add(c.id());
            }
        }
        return ids;
    }

    @Command(name = "kill", description = "Send a signal to one or more containers.")
    static final class Kill extends Base {
        @Option(names = {"-s", "--signal"}, description = "Signal to send (default KILL).")
        String signal = "KILL";
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            return forEach(names, n -> {
                e.kill(n, signal);
                System.out.println(n);
            });
        }
    }

    @Command(name = "pause", description = "Freeze all processes of one or more containers.")
    static final class Pause extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            return forEach(names, n -> {
                e.pause(n);
                System.out.println(n);
            });
        }
    }

    @Command(name = "unpause", description = "Thaw one or more paused containers.")
    static final class Unpause extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            return forEach(names, n -> {
                e.unpause(n);
                System.out.println(n);
            });
        }
    }

    @Command(name = "restart", description = "Restart one or more containers.")
    static final class Restart extends Base {
        @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing.")
        Integer time;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            return forEach(names, n -> {
                e.restart(n, time);
                System.out.println(n);
            });
        }
    }

    @Command(name = "wait", description = "Wait for containers to exit and print their exit codes.")
    static final class Wait extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            return forEach(names, n -> System.out.println(e.waitExit(n)));
        }
    }

    @Command(name = "rm", description = "Remove one or more containers.")
    static final class Rm extends Base {
        @Option(names = {"-f", "--force"}, description = "Stop running containers first.")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all containers.")
        boolean all;
        @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing when forced.")
        Integer time;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            Engine e = engine();
            List<String> targets = names;
            if (all) {
                targets = new ArrayList<>();
                // dependents first, so that --all can remove a dependency chain
                List<Container> cs = e.containers();
                List<String> deps = new ArrayList<>();
                cs.forEach(c -> deps.addAll(c.config().dependencies()));
                for (Container c : cs) {
                    if (!deps.contains(c.id())) {
                        targets.add(c.id());
                    }
                }
                for (Container c : cs) {
                    if (deps.contains(c.id())) {
                        targets.add(c.id());
                    }
                }
            }
            return forEach(targets, n -> {
                e.remove(n, force, time);
                System.out.println(n);
            });
        }
    }

    @Command(name = "ps", description = "List containers.")
    static final class Ps extends Base {
        @Option(names = {"-a", "--all"}, description = "Show all containers (default: running only).")
        boolean all;
        @Option(names = {"-q", "--quiet"}, description = "Print IDs only.")
        boolean quiet;
        @Option(names = "--no-trunc", description = "Do not truncate IDs.")
        boolean noTrunc;
        @Option(names = {"-f", "--filter"}, description = "Filter: status=, name=, id=, label=.")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "json, or a Go-template-like format such as '{{.ID}} {{.Names}}'.")
        String format;

        @Override
        public Integer call() {
            Output.ps(engine().containers(), all, quiet, noTrunc, filters, format);
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show a container's configuration and state as JSON.")
    static final class Inspect extends Base {
        @Option(names = {"-f", "--format"}, description = "Go-template-like format, e.g. '{{.State.Status}}'.")
        String format;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            List<Object> out = new ArrayList<>();
            int rc = 0;
            for (String n : names) {
                try {
                    Map<String, Object> m = e.inspect(n);
                    if (format != null) {
                        System.out.println(Output.template(format, m));
                    } else {
                        out.add(m);
                    }
                } catch (BerthException ex) {
                    System.err.println("Error: " + ex.getMessage());
                    rc = ex.exitCode();
                }
            }
            if (format == null) {
                System.out.println(Json.write(out, true));
            }
            return rc;
        }
    }

    @Command(name = "logs", description = "Show a container's output.")
    static final class Logs extends Base {
        @Option(names = {"-f", "--follow"}, description = "Follow the output until the container exits.")
        boolean follow;
        @Option(names = "--tail", description = "Only the last N lines (-1 for all).")
        int tail = -1;
        @Option(names = {"-t", "--timestamps"}, description = "Show timestamps.")
        boolean timestamps;
        @Parameters(arity = "1", paramLabel = "CONTAINER")
        String name;

        @Override
        public Integer call() {
            engine().logs(name, new LogOptions(follow, tail, timestamps), STDOUT, STDERR);
            return 0;
        }
    }

    @Command(name = "exec", description = "Run a process in a running container.")
    static final class Exec extends Base {
        @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.")
        boolean interactive;
        @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
        boolean tty;
        @Option(names = {"-d", "--detach"}, description = "Run in the background.")
        boolean detach;
        @Option(names = {"-e", "--env"}, description = "Environment variables.")
        List<String> env = new ArrayList<>();
        @Option(names = {"-w", "--workdir"}, description = "Working directory.")
        String workdir;
        @Option(names = {"-u", "--user"}, description = "User.")
        String user;
        @Parameters(index = "0", paramLabel = "CONTAINER")
        String name;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
        List<String> command;

        @Override
        public Integer call() {
            Engine e = engine();
            ExecOptions o = new ExecOptions(command, env, workdir, user, interactive, tty, detach);
            int code = Tty.exec(e, name, o);
            return code < 0 ? 0 : code;
        }
    }

    @Command(name = "attach", description = "Attach to a running container's output (detach with ctrl-p,ctrl-q).")
    static final class Attach extends Base {
        @Option(names = "--no-stdin", description = "Do not attach stdin.")
        boolean noStdin;
        @Parameters(arity = "1", paramLabel = "CONTAINER")
        String name;

        @Override
        public Integer call() {
            Engine e = engine();
            Container c = e.container(name);
            AttachResult r = Tty.attach(e, c, !noStdin);
            if (r == AttachResult.DETACHED) {
                return 0;
            }
            Container after = e.container(c.id());
            return after.state().exitCode();
        }
    }

    @Command(name = "port", description = "List a container's published ports.")
    static final class Port extends Base {
        @Parameters(arity = "1", paramLabel = "CONTAINER")
        String name;

        @Override
        public Integer call() {
            for (PortMapping p : engine().ports(name)) {
                System.out.println(p.containerPort() + "/" + p.protocol() + " -> "
                        + (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort());
            }
            return 0;
        }
    }

    @Command(name = "cleanup", description = "Clean up a container after it exited (run by conmon's exit command).",
            hidden = false)
    static final class Cleanup extends Base {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Override
        public Integer call() {
            Engine e = engine();
            int rc = 0;
            for (String n : names) {
                try {
                    e.cleanup(n);
                } catch (BerthException ex) {
                    if (ex.code() != ErrorCode.NO_SUCH_CONTAINER) {
                        System.err.println("Error: " + ex.getMessage());
                        rc = ex.exitCode();
                    }
                }
            }
            return rc;
        }
    }

    @Command(name = "container", description = "Manage containers (podman's `container` group).",
            subcommands = {Create.class, Run.class, Start.class, Stop.class, Kill.class, Pause.class, Unpause.class,
                Restart.class, Wait.class, Rm.class, Ps.class, Inspect.class, Logs.class, Exec.class, Attach.class,
                Port.class, Cleanup.class})
    static final class ContainerGroup implements Runnable {
        @ParentCommand
        Object parent;

        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;

        @Override
        public void run() {
            new picocli.CommandLine(this).usage(System.out);
        }
    }
}
