package berth.cli;

import berth.engine.CreateOptions;
import berth.engine.Engine;
import berth.engine.EngineConfig;
import berth.engine.ExecOptions;
import berth.engine.LogOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.model.Container;
import berth.kernel.model.PortMapping;
import berth.kernel.plugin.PluginInfo;
import berth.kernel.model.NetworkDefinition;
import berth.kernel.model.AttachResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every berth command: its spec (names, flags, help) and its handler, podman's names and flags. */
final class Commands {
    /** Unbuffered streams on the process's own descriptors: container output must not wait in a buffer. */
    static OutputStream STDOUT = new FileOutputStream(FileDescriptor.out); // nothing with the global --noout
    static final OutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private static final Opt HELP = Opt.flag("-h,--help", "Show this help.");
    private static List<Cmd> all;
    private static List<Cmd> containerGroup;
    private static List<Cmd> networkGroup;
    private static List<Cmd> systemGroup;

    private Commands() {
    }

    static List<Opt> opts(Opt... o) {
        List<Opt> l = new ArrayList<>(List.of(o));
        l.add(HELP);
        return l;
    }

    private static final List<Opt> CREATE_FLAGS = List.of(
            Opt.value("--name", "NAME", "Name of the container."),
            Opt.flag("--rootfs", "The first argument is a root filesystem directory (podman's flag)."),
            Opt.value("--entrypoint", "CMD", "Override the image's entrypoint: a string or a JSON array (\"\" clears it)."),
            Opt.value("--pull", "POLICY", "Pull the image: always, missing (default), never or newer."),
            Opt.flag("-q,--quiet", "Do not print the pull's progress."),
            Opt.value("--tls-verify", "BOOL", "Require HTTPS and verify certificates when pulling."),
            Opt.value("--authfile", "FILE", "Credentials file for the pull."),
            Opt.value("-e,--env", "NAME=VALUE", "Set an environment variable (NAME alone copies berth's own)."),
            Opt.value("-w,--workdir", "DIR", "Working directory in the container."),
            Opt.value("-u,--user", "USER", "User: name|uid[:group|gid]."),
            Opt.value("--hostname", "NAME", "Container host name."),
            Opt.flag("-t,--tty", "Allocate a pseudo-TTY."),
            Opt.flag("-i,--interactive", "Keep stdin open."),
            Opt.value("-v,--volume", "HOST:CTR[:ro]", "Bind mount a host directory."),
            Opt.value("--tmpfs", "DIR[:OPTS]", "Mount a tmpfs."),
            Opt.value("--network,--net", "MODE", "none, host, bridge, slirp4netns[:opts], pasta[:opts] or a network name."),
            Opt.value("-p,--publish", "[IP:]HOST:CTR[/PROTO]", "Publish a port."),
            Opt.flag("-P,--publish-all", "Publish every exposed port (the image's and --expose's) to a free host port."),
            Opt.value("--expose", "PORT[-END][/PROTO]", "Expose a port (or a range) for -P."),
            Opt.value("--restart", "POLICY", "Restart policy: no, on-failure[:N], always, unless-stopped."),
            Opt.value("--stop-signal", "SIGNAL", "Signal that stops the container (default TERM)."),
            Opt.value("--stop-timeout", "SECONDS", "Seconds before SIGKILL on stop (default 10)."),
            Opt.value("--timeout", "SECONDS", "Kill the container after it has run this long (default 0: no limit)."),
            Opt.value("--preserve-fds", "N", "Pass file descriptors 3 to 3+N-1 of this process to the container."),
            Opt.value("--log-driver", "DRIVER", "k8s-file (default) or none."),
            Opt.value("--log-opt", "KEY=VALUE", "Logging option: max-size=SIZE (e.g. 10m)."),
            Opt.value("-m,--memory", "SIZE", "Memory limit, e.g. 64m."),
            Opt.value("--cpus", "N", "Number of CPUs, e.g. 1.5."),
            Opt.value("--pids-limit", "N", "Maximum number of processes."),
            Opt.value("--requires", "CTRS", "Containers that must run first (comma-separated)."),
            Opt.flag("--rm", "Remove the container when it exits."),
            Opt.flag("--replace", "Remove a container of the same name first."),
            Opt.value("--kernel-memory", "SIZE", "Accepted for podman's sake: no longer supported, a no-op."),
            Opt.value("--cidfile", "FILE", "Write the container ID to FILE (which must not exist)."),
            Opt.value("--tz", "ZONE", "The container's time zone: a zoneinfo name, or local (the host's)."),
            Opt.value("--conmon-pidfile", "FILE", "Write conmon's PID to FILE once the container runs (run -d)."),
            Opt.value("-l,--label", "KEY=VALUE", "Set a label."),
            Opt.value("--annotation", "KEY=VALUE", "Set an annotation."),
            Opt.value("--ulimit", "TYPE=SOFT[:HARD]", "A resource limit (nofile=1024:2048), or host; replaces containers.conf's default_ulimits."),
            Opt.value("--security-opt", "OPT", "seccomp=unconfined, or seccomp=PROFILE.json (default: containers.conf's seccomp_profile, else podman's)."),
            Opt.value("--runtime", "NAME", "OCI runtime for this container."),
            Opt.flag("--privileged", "Every capability, no seccomp filter, no masked or read-only paths, /sys writable, the host's devices."));

    static List<Cmd> all() {
        if (all == null) {
            List<Cmd> l = new ArrayList<>();
            l.add(new Cmd("version", "version", "Show the berth version.", opts(), false, 0, (c, a) -> version()));
            l.add(new Cmd("info", "info [-f json]", "Show plugins found, selected backends and directories.",
                    opts(Opt.value("-f,--format", "FORMAT", "text, json, or a template with podman's fields ({{.Host.LogDriver}}).")), false, 0,
                    Commands::info));
            l.addAll(containerCommands());
            l.addAll(ImageCommands.topLevel());
            l.addAll(EventCommands.topLevel());
            l.add(new Cmd("container", "container COMMAND", "Manage containers.", opts(), true, 0, null));
            l.add(new Cmd("image", "image COMMAND", "Manage images.", opts(), true, 0, null));
            l.add(new Cmd("network", "network COMMAND", "Manage networks.", opts(), true, 0, null));
            l.add(new Cmd("system", "system COMMAND", "Manage berth itself.", opts(), true, 0, null));
            l.add(new Cmd("volume", "volume COMMAND", "Manage volumes.", opts(), true, 0, null));
            l.add(new Cmd("pod", "pod COMMAND", "Manage pods (berth has none: podman's answers for an empty store).", opts(), true, 0, null));
            // lambdas, not method references: the completion classes load only when these commands run
            l.add(new Cmd("completion", "completion [-f FILE] bash|zsh|fish", "Print a shell completion script.",
                    opts(Opt.value("-f,--file", "FILE", "Write the script to FILE instead of standard output.")), false, 1,
                    (c, a) -> Completion.command(a)));
            l.add(new Cmd("generate-man-pages", "generate-man-pages DIR", "Write berth's man pages to DIR.", opts(), false, 1,
                    (c, a) -> ManPages.command(a), true));
            l.add(new Cmd(Completion.HELPER, Completion.HELPER + " containers [STATUS]|networks",
                    "List names for shell completion.", opts(), false, 1, (c, a) -> Completion.helper(c, a), true));
            all = l;
        }
        return all;
    }

    private static List<Cmd> containerCommands() {
        List<Cmd> l = new ArrayList<>();
        List<Opt> create = new ArrayList<>(CREATE_FLAGS);
        create.addAll(VolumeCommands.CREATE_FLAGS);
        create.addAll(RunFlags.CREATE_FLAGS);
        create.add(HELP);
        l.add(new Cmd("create", "create [flags] IMAGE|--rootfs DIR [COMMAND [ARG...]]", "Create a container without starting it.",
                create, true, 1, Commands::create));
        List<Opt> run = new ArrayList<>(CREATE_FLAGS);
        run.addAll(VolumeCommands.CREATE_FLAGS);
        run.addAll(RunFlags.CREATE_FLAGS);
        run.add(Opt.flag("-d,--detach", "Run in the background and print the container ID."));
        run.add(Opt.value("-a,--attach", "STREAM", "Attach only to stdin, stdout or stderr (repeatable)."));
        run.add(HELP);
        l.add(new Cmd("run", "run [flags] IMAGE|--rootfs DIR [COMMAND [ARG...]]", "Run a command in a new container.", run, true, 1, Commands::run));
        l.add(new Cmd("start", "start [-a] [--all|--latest|--filter K=V] CONTAINER...", "Start one or more containers.",
                Batch.flags(false, Opt.flag("-a,--attach", "Attach to the output and return the exit code."),
                        Opt.flag("-i,--interactive", "Attach stdin.")), false, 0, Commands::start));
        l.add(new Cmd("stop", "stop [-t N] [--all|--latest|--filter K=V|--cidfile F] CONTAINER...",
                "Stop containers: stop signal, then SIGKILL after the timeout.",
                Batch.flags(true, Opt.value("-t,--timeout,--time", "SECONDS", "Seconds before SIGKILL (default: the container's stop timeout).")),
                false, 0, Commands::stop));
        l.add(new Cmd("kill", "kill [-s SIGNAL] [--all|--latest|--cidfile F] CONTAINER...", "Send a signal to containers.",
                Batch.flags(true, Opt.value("-s,--signal", "SIGNAL", "Signal to send (default KILL).")), false, 0, Commands::kill));
        l.add(new Cmd("pause", "pause [--all|--latest|--filter K=V|--cidfile F] CONTAINER...", "Freeze all processes of containers.",
                Batch.flags(true), false, 0, Commands::pause));
        l.add(new Cmd("unpause", "unpause [--all|--latest|--filter K=V|--cidfile F] CONTAINER...", "Thaw paused containers.",
                Batch.flags(true), false, 0, Commands::unpause));
        l.add(new Cmd("restart", "restart [-t N] [--all|--running|--latest|--filter K=V|--cidfile F] CONTAINER...", "Restart containers.",
                Batch.flags(true, Opt.value("-t,--time", "SECONDS", "Seconds before SIGKILL."),
                        Opt.flag("--running", "With --all: only running containers.")), false, 0, Commands::restart));
        l.add(new Cmd("wait", "wait [--latest|--ignore] CONTAINER...", "Wait for containers to exit; print their exit codes.",
                Batch.flags(false, Opt.value("--condition", "STATE", "Wait for this state (default: stopped; also exited)."),
                        Opt.value("-i,--interval", "DURATION", "Accepted for podman's sake; berth waits on the exit file.")),
                false, 0, Commands::waitCmd));
        l.add(new Cmd("rm", "rm [-f] [-a] [-i] [-v] [--filter K=V] [--cidfile F] CONTAINER...", "Remove containers.",
                Batch.flags(true, Opt.flag("-f,--force", "Stop running containers first."),
                        Opt.flag("-v,--volumes", "Remove the container's anonymous volumes too."),
                        Opt.value("-t,--time", "SECONDS", "Seconds before SIGKILL when forced.")), false, 0, Commands::rm));
        l.add(new Cmd("ps", "ps [-a] [-q] [--filter K=V] [--format F]", "List containers.",
                opts(Opt.flag("-a,--all", "Show all containers (default: running only)."), Opt.flag("-q,--quiet", "Print IDs only."),
                        Opt.flag("--no-trunc", "Do not truncate IDs."),
                        Opt.value("-f,--filter", "KEY=VALUE", "Filter: id, name, label, status, exited, ancestor, before, since, volume, network."),
                        Opt.value("--sort", "KEY", "Sort by command, created, id, image, names, runningfor, size or status."),
                        Opt.value("-n,--last", "N", "The N containers created last (any state)."),
                        Opt.flag("-l,--latest", "The container created last (any state)."),
                        Opt.flag("-s,--size", "Accepted for podman's sake; sizes are not shown."),
                        Opt.flag("--ns", "Accepted for podman's sake."),
                        Opt.value("--format", "FORMAT", "json, or a template such as '{{.ID}} {{.Names}}'.")), false, 0, Commands::ps));
        l.add(new Cmd("inspect", "inspect [-f FORMAT] [-l] CONTAINER...", "Show a container's configuration and state as JSON.",
                opts(Opt.value("-f,--format", "FORMAT", "Template, e.g. '{{.State.Status}}'."), Batch.LATEST), false, 0, Commands::inspect));
        l.add(new Cmd("logs", "logs [-f] [--tail N] [-t] [--since T] [--until T] CONTAINER...", "Show containers' output.",
                opts(Opt.flag("-f,--follow", "Follow until the container exits."), Opt.value("--tail", "N", "Only the last N lines."),
                        Opt.flag("-t,--timestamps", "Show timestamps."),
                        Opt.value("--since", "TIME", "Lines written since TIME: RFC 3339, unix seconds, or a duration ago (10m)."),
                        Opt.value("--until", "TIME", "Lines written until TIME (same forms)."),
                        Opt.flag("-n,--names", "Prefix each line with its container's name."),
                        Opt.flag("-l,--latest", "The container created last.")), false, 0, Commands::logs));
        l.add(new Cmd("exec", "exec [flags] CONTAINER COMMAND [ARG...]", "Run a process in a running container.",
                opts(Opt.flag("-i,--interactive", "Keep stdin open."), Opt.flag("-t,--tty", "Allocate a pseudo-TTY."),
                        Opt.flag("-d,--detach", "Run in the background."), Opt.value("-e,--env", "NAME=VALUE", "Set an environment variable."),
                        Opt.value("-w,--workdir", "DIR", "Working directory."), Opt.value("-u,--user", "USER", "User.")), true, 2, Commands::exec));
        l.add(new Cmd("attach", "attach [--no-stdin] CONTAINER", "Attach to a running container (detach: ctrl-p,ctrl-q).",
                opts(Opt.flag("--no-stdin", "Do not attach stdin.")), false, 1, Commands::attach));
        l.add(CopyCommand.spec());
        l.add(new Cmd("port", "port CONTAINER", "List a container's published ports.", opts(), false, 1, Commands::port));
        return l;
    }

    /** The subcommands of a command group (container, network, system), or null for another command. */
    static List<Cmd> group(String name) {
        switch (name) {
            case "container":
                return containerGroup();
            case "network":
                return networkGroup();
            case "system":
                return systemGroup();
            case "image":
                return ImageCommands.group();
            case "volume":
                return VolumeCommands.group();
            case "pod":
                return PodCommands.group();
            default:
                return null;
        }
    }

    private static List<Cmd> containerGroup() {
        if (containerGroup == null) {
            List<Cmd> l = new ArrayList<>(containerCommands());
            l.add(EventCommands.init());
            l.add(new Cmd("exists", "exists CONTAINER", "Exit 0 if the container exists, 1 if not.", opts(), false, 1,
                    Commands::exists));
            l.add(new Cmd("cleanup", "cleanup CONTAINER...", "Clean up after a container exited (conmon's exit command).",
                    opts(), false, 1, Commands::cleanup));
            containerGroup = l;
        }
        return containerGroup;
    }

    private static List<Cmd> networkGroup() {
        if (networkGroup == null) {
            List<Cmd> l = new ArrayList<>(List.of(
                    new Cmd("create", "network create [--subnet CIDR] [--gateway IP] NAME", "Create a bridge network.",
                            opts(Opt.value("--subnet", "CIDR", "Subnet (default: a free 10.89.N.0/24)."),
                                    Opt.value("--gateway", "IP", "Gateway address.")), false, 1, Commands::networkCreate),
                    new Cmd("ls", "network ls", "List networks.", opts(), false, 0, Commands::networkLs),
                    new Cmd("inspect", "network inspect NETWORK...", "Show networks as JSON.", opts(), false, 1, Commands::networkInspect),
                    new Cmd("rm", "network rm NETWORK...", "Remove networks (refused while in use).", opts(), false, 1, Commands::networkRm),
                    new Cmd("prune", "network prune [-f] [--filter K=V]", "Remove every network no container uses (the default network stays).",
                            opts(Opt.flag("-f,--force", "Do not prompt for confirmation."),
                                    Opt.value("--filter", "K=V", "label=, label!= or until= (repeatable).")), false, 0, Commands::networkPrune)));
            l.addAll(NetworkConnectCommands.commands());
            networkGroup = List.copyOf(l);
        }
        return networkGroup;
    }

    private static List<Cmd> systemGroup() {
        if (systemGroup == null) {
            systemGroup = List.of(new Cmd("migrate-state", "system migrate-state --to BACKEND",
                    "Copy all records to another state backend, verify, then switch the configuration.",
                    opts(Opt.value("--to", "BACKEND", "sqlite, file, boltdb or a plugin's.")), false, 0, SystemCommands::migrateState),
                    new Cmd("prune", "system prune [-a] [-f] [--volumes] [--filter K=V]",
                            "Remove stopped containers, dangling (with -a: unused) images, unused networks and, with --volumes, unused volumes.",
                            opts(Opt.flag("-a,--all", "Remove every unused image, not only dangling ones."),
                                    Opt.flag("-f,--force", "Do not ask for confirmation."),
                                    Opt.flag("--volumes", "Also remove volumes no container uses."),
                                    Opt.value("--filter", "K=V", "label=, label!= or until= (repeatable).")), false, 0, SystemCommands::prune),
                    new Cmd("reset", "system reset [-f]",
                            "Remove every container, network and runtime state berth made, and every file under its roots.",
                            opts(Opt.flag("-f,--force", "Do not ask for confirmation.")), false, 0, SystemCommands::reset),
                    new Cmd("service", "system service [-t N] [URI]",
                            "Serve the Docker Engine API on URI (default " + ApiService.DEFAULT_URI + "; or tcp://127.0.0.1:PORT).",
                            opts(Opt.value("-t,--time", "N", "Exit after N seconds without a request (default 5; 0: never).")),
                            false, 0, ApiService::run));
        }
        return systemGroup;
    }

    /** {@code c} with its arguments ({@code --help}: its help). */
    static int execute(Context ctx, Cmd c, List<String> args, String context) {
        Args a = Args.parse(c, args, context + " " + c.name());
        berth.kernel.trace.Trace.mark("cli: arguments parsed");
        if (a.has("help")) {
            Help.command(System.out, c, context);
            return 0;
        }
        return c.handler().run(ctx, a);
    }

    static int execute(Context ctx, List<String> argv, String context) {
        String name = argv.get(0);
        List<Cmd> table = all();
        berth.kernel.trace.Trace.mark("cli: command table built");
        List<String> rest = argv.subList(1, argv.size());
        if (name.equals("container") || name.equals("network") || name.equals("system") || name.equals("image")
                || name.equals("volume") || name.equals("pod")) {
            table = group(name);
            context = context + " " + name;
            if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("-h")) {
                System.out.println("Usage: " + context + " COMMAND\n\nCommands:");
                for (Cmd c : table) {
                    System.out.printf("  %-14s %s%n", c.name(), c.description());
                }
                return rest.isEmpty() ? 125 : 0;
            }
            name = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        if (name.equals("list") && (context.endsWith("network") || context.endsWith("volume"))) {
            name = "ls";
        }
        if ((name.equals("list") || name.equals("ls")) && context.endsWith(" pod")) {
            name = "ps";
        }
        for (Cmd c : table) {
            if (c.name().equals(name)) {
                return execute(ctx, c, rest, context);
            }
        }
        if (name.equals("help")) {
            Help.root(System.out);
            return 0;
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "unknown command \"" + name + "\" for \"" + context + "\"\nSee '" + context + " --help'");
    }

    // ------------------------------------------------------------------ handlers

    static String versionString() {
        Module m = Commands.class.getModule();
        String v = m.getDescriptor() == null ? null : m.getDescriptor().rawVersion().orElse(null);
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static int version() {
        System.out.println("Version:      " + versionString());
        System.out.println("Java Version: " + System.getProperty("java.version"));
        System.out.println("OS/Arch:      " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/" + System.getProperty("os.arch"));
        return 0;
    }

    static int info(Context ctx, Args a) {
        Engine e = ctx.engine();
        EngineConfig c = e.config();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", versionString());
        Map<String, Object> sel = new LinkedHashMap<>();
        sel.put("runtime", c.runtime());
        sel.put("stateBackend", c.stateBackend());
        sel.put("defaultNetwork", c.defaultNetwork());
        sel.put("networkBackend", e.networkBackend());
        out.put("selected", sel);
        Map<String, Object> rt = e.runtimeInfo(null);
        out.put("ociRuntime", rt);
        Map<String, Object> dirs = new LinkedHashMap<>();
        dirs.put("root", c.root().toString());
        dirs.put("runRoot", c.runRoot().toString());
        dirs.put("staticDir", c.staticDir().toString());
        dirs.put("tmpDir", c.tmpDir().toString());
        dirs.put("volumePath", c.volumePath().toString());
        dirs.put("networkConfigDir", c.networkConfigDir().toString());
        dirs.put("configFile", c.configFile() == null ? "(none)" : c.configFile().toString());
        out.put("directories", dirs);
        List<PluginInfo> plugins = e.plugins();
        List<Object> pl = new ArrayList<>();
        for (PluginInfo p : plugins) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("spi", p.spi());
            m.put("id", p.id());
            m.put("module", p.module());
            m.put("version", p.version());
            m.put("description", p.description());
            m.put("location", p.location());
            pl.add(m);
        }
        out.put("plugins", pl);
        out.put("problems", e.pluginProblems());
        if ("json".equals(a.get("format"))) {
            System.out.println(Json.write(out, true));
            return 0;
        }
        String format = a.get("format");
        if (format != null && !format.isEmpty() && !format.equals("text")) {
            System.out.println(Output.template(format, InfoReport.of(e, versionString())));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("berth ").append(versionString()).append("\nselected:\n");
        sel.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        sb.append("ociRuntime:\n");
        rt.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        sb.append("directories:\n");
        dirs.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        sb.append("plugins:\n");
        sb.append(String.format("  %-22s %-14s %-28s %-16s %s%n", "SPI", "ID", "MODULE", "VERSION", "DESCRIPTION"));
        for (PluginInfo p : plugins) {
            sb.append(String.format("  %-22s %-14s %-28s %-16s %s%n", p.spi(), p.id(), p.module(), p.version(), p.description()));
        }
        for (String p : e.pluginProblems()) {
            sb.append("problem: ").append(p).append('\n');
        }
        System.out.print(sb);
        return 0;
    }

    static Map<String, String> kv(List<String> list) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : list) {
            int eq = s.indexOf('=');
            m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return m;
    }

    static CreateOptions createOptions(Args a, String context) {
        if (a.get("stop-signal") != null) {
            Engine.checkSignal(a.get("stop-signal")); // podman parses it before anything else (the same parser as kill's)
        }
        List<String> pos = a.positional();
        String first = pos.get(0);
        // podman's rule: --rootfs makes the first argument a directory; berth also takes a path to one
        boolean rootfs = a.has("rootfs") || first.contains("/") && Files.isDirectory(Path.of(first));
        String entry = a.get("entrypoint");
        List<String> entrypoint = entry == null ? null : entrypoint(entry);
        String pids = a.get("pids-limit");
        Long pidsLimit;
        try {
            pidsLimit = pids == null ? null : Long.parseLong(pids);
        } catch (NumberFormatException e) {
            throw Args.usage(context, "invalid --pids-limit \"" + pids + "\"");
        }
        if (a.get("kernel-memory") != null) {
            System.err.println("WARN: The --kernel-memory flag is no longer supported. This flag is a noop.");
        }
        List<String> publish = a.all("publish");
        String net = a.get("net");
        if (!publish.isEmpty() && net != null && (net.equals("host") || net.equals("none") || net.startsWith("container:"))) {
            // podman's warning, word for word and alone on its line; the container runs without the ports
            System.err.println("Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use");
            publish = List.of();
        }
        return VolumeCommands.withMountFlags(a, new CreateOptions(a.get("name"), rootfs ? first : null, pos.subList(1, pos.size()), RunFlags.environment(a, context), a.get("workdir"),
                a.get("user"), a.get("hostname"), a.has("tty"), a.has("interactive"), withTimeZone(a.all("volume"), a.get("tz")), a.all("tmpfs"),
                net, publish, a.get("restart"), a.get("stop-signal"), a.integer("stop-timeout", context),
                a.get("log-driver"), a.get("runtime"), a.get("memory"), a.get("cpus"), pidsLimit, a.all("requires"),
                a.has("rm"), kv(a.all("label")), kv(a.all("annotation")), rootfs ? null : first, entrypoint, a.get("pull"),
                rootfs ? null : ImageCommands.pullOptions(a, a.has("quiet")))).withPublishAll(a.has("publish-all"), a.all("expose"))
                .withSecurity(a.all("ulimit"), a.all("security-opt"), a.has("privileged")).withCreateCommand(Main.commandLine())
                .withTimeout(a.get("timeout") == null ? 0 : a.integer("timeout", context))
                .withPreserveFds(preserveFds(a, context)).withLogOptions(a.all("log-opt")).withSettings(RunFlags.settings(a, context));
    }

    /** {@code --preserve-fds N}, each of the descriptors checked to be open here, as podman does. */
    static int preserveFds(Args a, String context) {
        int n = a.get("preserve-fds") == null ? 0 : a.integer("preserve-fds", context);
        for (int fd = 3; fd < 3 + n; fd++) {
            if (!Files.exists(Path.of("/proc/self/fd", Integer.toString(fd)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw usage("file descriptor " + fd + " is not available - the preserve-fds option requires that all preserved file descriptors be open");
            }
        }
        return n;
    }

    /**
     * {@code --tz}: podman binds the zone's file from the host's zoneinfo at /etc/localtime (read
     * only); {@code local} is the host's own /etc/localtime.
     */
    static List<String> withTimeZone(List<String> volumes, String tz) {
        if (tz == null || tz.isEmpty()) {
            return volumes;
        }
        Path zone = tz.equals("local") ? Path.of("/etc/localtime") : Path.of("/usr/share/zoneinfo").resolve(tz).normalize();
        if (!zone.startsWith("/usr/share/zoneinfo") && !tz.equals("local") || !Files.isRegularFile(zone)) {
            throw usage("running with --tz=" + tz + ": finding timezone: unknown time zone " + tz);
        }
        try {
            zone = zone.toRealPath();
        } catch (IOException ex) {
            throw usage("finding timezone: " + ex.getMessage());
        }
        List<String> l = new ArrayList<>(volumes);
        l.add(zone + ":/etc/localtime:ro");
        return l;
    }

    /** {@code --entrypoint}: a JSON array, else one string (podman: "" clears the image's). */
    static List<String> entrypoint(String v) {
        if (v.startsWith("[")) {
            try {
                Object parsed = Json.parse(v);
                if (parsed instanceof List<?> l) {
                    List<String> out = new ArrayList<>();
                    l.forEach(x -> out.add(String.valueOf(x)));
                    return out;
                }
            } catch (Json.MalformedJsonException e) {
                // a string that starts with [
            }
        }
        return List.of(v);
    }

    /** {@code --replace}: a container already named so is removed first (forced), as podman's. */
    static void replace(Engine e, Args a) {
        if (!a.has("replace") || a.get("name") == null) {
            return;
        }
        try {
            e.remove(a.get("name"), true, null);
        } catch (BerthException ex) {
            if (ex.code() != ErrorCode.NO_SUCH_CONTAINER) {
                throw ex;
            }
        }
    }

    /** {@code --cidfile}: checked before the container is made, as podman (it never overwrites one). */
    static void checkCidfile(Args a) {
        String f = a.get("cidfile");
        if (f != null && Files.exists(Path.of(f))) {
            throw usage("container id file exists. Ensure another container is not using it or delete " + f);
        }
    }

    static void writeIdFile(String file, String content) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), content);
        } catch (IOException ex) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "writing " + file + ": " + ex.getMessage(), ex);
        }
    }

    static int create(Context ctx, Args a) {
        CreateOptions o = createOptions(a, "berth create");
        checkCidfile(a);
        replace(ctx.engine(), a);
        Container c = ctx.engine().create(o);
        writeIdFile(a.get("cidfile"), c.id());
        System.out.println(c.id());
        return 0;
    }

    static int run(Context ctx, Args a) {
        Engine e = ctx.engine();
        berth.kernel.trace.Trace.mark("engine opened");
        e.prepareAsync(a.get("runtime") != null ? a.get("runtime") : ctx.overrides.runtime());
        CreateOptions o = createOptions(a, "berth run");
        checkCidfile(a);
        replace(e, a);
        Container c = e.createToStart(o);
        writeIdFile(a.get("cidfile"), c.id());
        if (a.has("detach")) {
            try {
                Container started = e.start(c.id());
                if (a.get("conmon-pidfile") != null) {
                    writeIdFile(a.get("conmon-pidfile"), String.valueOf(started.state().conmonPid()));
                }
            } catch (BerthException ex) {
                removeQuietly(e, c, o.autoRemove());
                throw ex;
            }
            System.out.println(c.id());
            return 0;
        }
        java.util.Set<String> attach = attachStreams(a);
        if (!attach.contains("stdout") && !attach.contains("stderr")) {
            System.out.println(c.id()); // podman: nothing of the container's output is shown, so its ID is
        }
        try {
            int code = Tty.attached(e, c.id(), o.terminal(), o.interactive(), attach);
            return code == Engine.DETACHED ? 0 : code & 0xff; // -1 (--timeout) exits 255, as podman
        } catch (BerthException ex) {
            removeQuietly(e, c, o.autoRemove());
            throw ex;
        }
    }

    /** {@code --attach}: the streams named (all three when none is). */
    static java.util.Set<String> attachStreams(Args a) {
        if (a.all("attach").isEmpty()) {
            return java.util.Set.of("stdin", "stdout", "stderr");
        }
        java.util.Set<String> s = new java.util.HashSet<>();
        for (String v : a.all("attach")) {
            for (String x : v.split(",")) {
                String n = x.strip().toLowerCase(java.util.Locale.ROOT);
                if (!n.equals("stdin") && !n.equals("stdout") && !n.equals("stderr")) {
                    throw usage("invalid stream \"" + x + "\" for --attach - must be one of stdin, stdout, or stderr");
                }
                s.add(n);
            }
        }
        return s;
    }

    private static void removeQuietly(Engine e, Container c, boolean autoRemove) {
        if (!autoRemove) {
            return;
        }
        try {
            e.remove(c.id(), true, 0);
        } catch (BerthException ignored) {
            // the original error is what the user needs to see
        }
    }

    /** A flag or argument error in podman's own words (no sentinel appended). */
    static BerthException usage(String message) {
        return new BerthException(ErrorCode.USAGE, message);
    }

    interface Action {
        void apply(String name);
    }

    /** Applies to each name; reports each failure and returns the last error's exit code, as podman. */
    static int forEach(List<String> names, Action action) {
        int rc = 0;
        for (String n : names) {
            try {
                action.apply(n);
            } catch (BerthException ex) {
                System.err.println("Error: " + ex.getMessage());
                rc = ex.exitCode();
            }
        }
        return rc;
    }

    static int start(Context ctx, Args a) {
        Engine e = ctx.engine();
        // a created or exited container is created in the runtime again: its plugin and the kernel get ready meanwhile
        e.prepareAsync(ctx.overrides.runtime());
        if (a.has("all") && !a.positional().isEmpty()) {
            throw Commands.usage("either start all containers or the container(s) provided in the arguments");
        }
        if (a.has("attach")) {
            if (a.positional().size() != 1 || a.has("all") || a.has("latest")) {
                throw Commands.usage(a.has("all") ? "you cannot start and attach all containers at once"
                        : "you cannot start and attach multiple containers at once");
            }
            Container c = e.container(a.positional().get(0));
            int code = Tty.attached(e, c.id(), c.config().terminal(), a.has("interactive") || c.config().stdin());
            return code == Engine.DETACHED ? 0 : code & 0xff; // -1 (--timeout) exits 255, as podman
        }
        if (a.has("all") && a.all("filter").stream().allMatch(f -> f.startsWith("restart-policy="))
                && !a.all("filter").isEmpty()) {
            // the boot unit's form: only policies, and unless-stopped ones the user did not stop
            java.util.Set<String> policies = new java.util.HashSet<>();
            new ContainerFilters(a.all("filter"), e::container); // podman's checks of the policy names
            for (String f : a.all("filter")) {
                policies.add(f.substring("restart-policy=".length()));
            }
            int[] rc = {0};
            e.startAll(policies, (id, error) -> {
                if (error == null) {
                    System.out.println(id);
                } else {
                    System.err.println("Error: " + error.getMessage());
                    rc[0] = error.exitCode();
                }
            });
            return rc[0];
        }
        List<Batch.Target> targets = Batch.select(e, a, c -> !c.status().isActive(), true);
        // podman start: a command that cannot run is an engine error (125), not run's 126/127
        return Batch.each(targets, a.has("ignore"), t -> e.start(t.ref()), ex -> ex.exitCode() == 126 || ex.exitCode() == 127 ? 125 : ex.exitCode());
    }

    static int stop(Context ctx, Args a) {
        Engine e = ctx.engine();
        Integer t = a.integer("time", "berth stop");
        List<Batch.Target> targets = Batch.select(e, a, c -> c.status().isActive());
        return Batch.each(targets, a.has("ignore"), x -> e.stop(x.ref(), t));
    }

    static int kill(Context ctx, Args a) {
        Engine e = ctx.engine();
        String sig = a.get("signal", "KILL");
        berth.engine.Engine.checkSignal(sig); // podman checks the signal before looking for containers
        List<Batch.Target> targets = Batch.select(e, a, c -> c.status().isRunningOrPaused());
        return Batch.each(targets, a.has("ignore"), t -> e.kill(t.ref(), sig));
    }

    static int pause(Context ctx, Args a) {
        Engine e = ctx.engine();
        List<Batch.Target> targets = Batch.select(e, a, c -> c.status() == berth.kernel.model.ContainerStatus.RUNNING);
        return Batch.each(targets, a.has("ignore"), t -> e.pause(t.ref()));
    }

    static int unpause(Context ctx, Args a) {
        Engine e = ctx.engine();
        List<Batch.Target> targets = Batch.select(e, a, c -> c.status() == berth.kernel.model.ContainerStatus.PAUSED);
        return Batch.each(targets, a.has("ignore"), t -> e.unpause(t.ref()));
    }

    static int restart(Context ctx, Args a) {
        Engine e = ctx.engine();
        e.prepareAsync(ctx.overrides.runtime()); // as start: the runtime's create follows the stop
        Integer t = a.integer("time", "berth restart");
        boolean running = a.has("running");
        List<Batch.Target> targets = Batch.select(e, a, c -> !running || c.status().isRunningOrPaused());
        return Batch.each(targets, a.has("ignore"), x -> e.restart(x.ref(), t));
    }

    static int waitCmd(Context ctx, Args a) {
        Engine e = ctx.engine();
        if (a.has("all")) {
            throw Commands.usage("unknown flag: --all");
        }
        List<Batch.Target> targets = Batch.select(e, a, c -> true);
        int rc = 0;
        for (Batch.Target t : targets) {
            try {
                System.out.println(e.waitExit(t.ref()));
            } catch (BerthException ex) {
                if (a.has("ignore") && ex.code() == ErrorCode.NO_SUCH_CONTAINER) {
                    System.out.println(-1); // podman's wait --ignore: -1 for a container that is gone
                    continue;
                }
                System.err.println("Error: " + ex.getMessage());
                rc = ex.exitCode();
            }
        }
        return rc;
    }

    /** podman rm's exit codes: 1 when a container does not exist, 2 when one is running, else 125. */
    static int rmExitCode(BerthException ex) {
        if (ex.code() == ErrorCode.NO_SUCH_CONTAINER) {
            return 1;
        }
        return ex.code() == ErrorCode.CONTAINER_STATE_INVALID ? 2 : ex.exitCode();
    }

    static int rm(Context ctx, Args a) {
        Engine e = ctx.engine();
        boolean force = a.has("force");
        if (a.get("time") != null && !force) {
            throw Commands.usage("--force option must be specified to use the --time option");
        }
        Integer t = a.integer("time", "berth rm");
        boolean ignore = a.has("ignore") || force; // podman: --force implies --ignore
        if (a.has("all") && a.all("filter").isEmpty()) {
            if (!a.positional().isEmpty()) {
                throw Commands.usage("no arguments are needed with --all");
            }
            int[] rc = {0};
            e.removeAll(force, t, (id, error) -> {
                if (error == null) {
                    System.out.println(id);
                } else {
                    System.err.println("Error: " + error.getMessage());
                    rc[0] = rmExitCode(error);
                }
            });
            return rc[0];
        }
        List<Batch.Target> targets = Batch.select(e, a, c -> true);
        return Batch.each(targets, ignore, x -> {
            Container removed = a.has("volumes") ? e.container(x.ref()) : null;
            e.remove(x.ref(), force, t);
            if (removed != null) {
                VolumeCommands.removeAnonymousVolumes(e, removed);
            }
        }, Commands::rmExitCode);
    }

    static int ps(Context ctx, Args a) {
        Engine e = ctx.engine();
        Integer last = a.integer("last", "berth ps");
        if (a.has("latest")) {
            if (last != null && last >= 0) {
                throw usage("--last and --latest cannot be used together");
            }
            last = 1;
        }
        String sort = a.get("sort");
        if (sort != null) {
            Output.psOrder(sort); // checked before any work, as podman's flag value
        }
        List<String> filters = a.all("filter");
        boolean statusFiltered = filters.stream().anyMatch(f -> f.startsWith("status="));
        Output.PsSelection sel = new Output.PsSelection(a.has("all"), new ContainerFilters(filters, e::container), statusFiltered,
                last == null ? -1 : last, sort);
        Output.ps(e.containers(), sel, a.has("quiet"), a.has("no-trunc"), a.get("format"));
        return 0;
    }

    static int inspect(Context ctx, Args a) {
        Engine e = ctx.engine();
        String format = a.get("format");
        List<Object> out = new ArrayList<>();
        int rc = 0;
        List<String> names = new ArrayList<>(a.positional());
        if (a.has("latest")) {
            if (!names.isEmpty()) {
                throw usage("--latest and containers cannot be used together");
            }
            names.add(Batch.latest(e.containers()).get(0).id());
        }
        if (names.isEmpty()) {
            throw usage("\"berth inspect\" requires at least 1 argument");
        }
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

    static int logs(Context ctx, Args a) {
        Integer tail = a.integer("tail", "berth logs");
        Engine e = ctx.engine();
        List<String> names = new ArrayList<>(a.positional());
        if (a.has("latest")) {
            if (!names.isEmpty()) {
                throw usage("--latest and containers cannot be used together");
            }
            names.add(Batch.latest(e.containers()).get(0).id());
        }
        if (names.isEmpty()) {
            throw usage("\"berth logs\" requires at least one argument");
        }
        java.time.Instant now = java.time.Instant.now();
        LogOptions o = new LogOptions(a.has("follow"), tail == null ? -1 : tail, a.has("timestamps"), logTime(a.get("since"), true, now),
                logTime(a.get("until"), false, now), a.has("names"));
        e.logs(names, o, STDOUT, STDERR);
        return 0;
    }

    private static java.time.Instant logTime(String value, boolean since, java.time.Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return berth.engine.events.InputTime.parse(value, since, now);
        } catch (IllegalArgumentException ex) {
            throw usage("unable to interpret time value \"" + value + "\" for --" + (since ? "since" : "until"));
        }
    }

    static int exec(Context ctx, Args a) {
        List<String> pos = a.positional();
        ExecOptions o = new ExecOptions(pos.subList(1, pos.size()), a.all("env"), a.get("workdir"), a.get("user"),
                a.has("interactive"), a.has("tty"), a.has("detach"));
        int code = Tty.exec(ctx.engine(), pos.get(0), o);
        return code < 0 ? 0 : code;
    }

    static int attach(Context ctx, Args a) {
        Engine e = ctx.engine();
        Container c = e.container(a.positional().get(0));
        AttachResult r = Tty.attach(e, c, !a.has("no-stdin"));
        if (r == AttachResult.DETACHED) {
            return 0;
        }
        return e.waitExit(c.id());
    }

    static int port(Context ctx, Args a) {
        for (PortMapping p : ctx.engine().ports(a.positional().get(0))) {
            System.out.println(p.containerPort() + "/" + p.protocol() + " -> " + (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort());
        }
        return 0;
    }

    static int exists(Context ctx, Args a) {
        try {
            ctx.engine().container(a.positional().get(0));
            return 0;
        } catch (BerthException ex) {
            if (ex.code() == ErrorCode.NO_SUCH_CONTAINER) {
                return 1;
            }
            throw ex;
        }
    }

    static int cleanup(Context ctx, Args a) {
        Engine e = ctx.engine();
        int rc = 0;
        for (String n : a.positional()) {
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

    static int networkCreate(Context ctx, Args a) {
        System.out.println(ctx.engine().createNetwork(a.positional().get(0), a.get("subnet"), a.get("gateway")).name());
        return 0;
    }

    static int networkLs(Context ctx, Args a) {
        System.out.printf("%-20s %-10s %-18s %s%n", "NAME", "DRIVER", "SUBNET", "GATEWAY");
        for (NetworkDefinition d : ctx.engine().networks()) {
            System.out.printf("%-20s %-10s %-18s %s%n", d.name(), d.driver(), d.subnet(), d.gateway());
        }
        return 0;
    }

    static int networkInspect(Context ctx, Args a) {
        List<NetworkDefinition> nets = ctx.engine().networks();
        List<Object> out = new ArrayList<>();
        int rc = 0;
        for (String n : a.positional()) {
            NetworkDefinition d = nets.stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
            if (d == null) {
                System.err.println("Error: network " + n + " not found");
                rc = 125;
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("driver", d.driver());
            m.put("subnet", d.subnet());
            m.put("gateway", d.gateway());
            m.putAll(d.details());
            out.add(m);
        }
        System.out.println(Json.write(out, true));
        return rc;
    }

    static int networkRm(Context ctx, Args a) {
        Engine e = ctx.engine();
        return forEach(a.positional(), n -> {
            e.removeNetwork(n);
            System.out.println(n);
        });
    }

    /** podman's {@code network prune}: asks first unless {@code --force}, then prints each removed name. */
    static int networkPrune(Context ctx, Args a) {
        if (!a.has("force")) {
            System.out.println("WARNING! This will remove all networks not used by at least one container.");
            System.out.print("Are you sure you want to continue? [y/N] ");
            System.out.flush();
            String answer = readAnswer();
            if (answer.isEmpty() || Character.toLowerCase(answer.charAt(0)) != 'y') {
                return 0;
            }
        }
        berth.engine.PruneReport r = ctx.engine().pruneNetworks(a.all("filter"));
        StringBuilder sb = new StringBuilder();
        r.networks().forEach(n -> sb.append(n).append('\n'));
        System.out.print(sb);
        if (!r.errors().isEmpty()) {
            r.errors().forEach(err -> System.err.println("Error: " + err));
            return 125;
        }
        return 0;
    }

    private static String readAnswer() {
        StringBuilder sb = new StringBuilder();
        try {
            int ch;
            while ((ch = System.in.read()) >= 0 && ch != '\n') {
                sb.append((char) ch);
            }
        } catch (java.io.IOException e) {
            return "";
        }
        return sb.toString().trim();
    }
}
