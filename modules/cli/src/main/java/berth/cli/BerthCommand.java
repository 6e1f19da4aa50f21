package berth.cli;

import berth.engine.ConfigOverrides;
import berth.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command and its global flags, which override containers.conf. */
@Command(name = "berth", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
        description = "A daemonless OCI container engine.",
        subcommands = {
            InfoCommands.Version.class, InfoCommands.Info.class,
            ContainerCommands.Create.class, ContainerCommands.Run.class, ContainerCommands.Start.class,
            ContainerCommands.Stop.class, ContainerCommands.Kill.class, ContainerCommands.Pause.class,
            ContainerCommands.Unpause.class, ContainerCommands.Restart.class, ContainerCommands.Wait.class,
            ContainerCommands.Rm.class, ContainerCommands.Ps.class, ContainerCommands.Inspect.class,
            ContainerCommands.Logs.class, ContainerCommands.Exec.class, ContainerCommands.Attach.class,
            ContainerCommands.Port.class, ContainerCommands.ContainerGroup.class,
            NetworkCommands.class, SystemCommands.class, picocli.CommandLine.HelpCommand.class})
public final class BerthCommand implements Runnable {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--root", description = "Storage root (default /var/lib/berth).")
    String root;

    @Option(names = "--runroot", description = "Run root for volatile state (default /run/berth).")
    String runRoot;

    @Option(names = "--runtime", description = "OCI runtime to use: runc, crun, runsc or a plugin's.")
    String runtime;

    @Option(names = "--db-backend", description = "State backend: file, sqlite, boltdb or a plugin's.")
    String dbBackend;

    @Option(names = "--log-level", description = "Log level passed to conmon (debug, info, warn, error).")
    String logLevel;

    @Option(names = "--config", description = "containers.conf file (default $BERTH_CONFIG or /etc/berth/containers.conf).")
    String config;

    @Option(names = "--hooks-dir", description = "OCI hooks directories, comma-separated.")
    String hooksDir;

    private Engine engine;

    /** The engine, opened on first use so that `--help` and `version` never load it. */
    Engine engine() {
        if (engine == null) {
            engine = Engine.open(new ConfigOverrides(config, root, runRoot, runtime, dbBackend, logLevel, hooksDir),
                    System.getenv(), w -> System.err.println("WARN: " + w));
        }
        return engine;
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
