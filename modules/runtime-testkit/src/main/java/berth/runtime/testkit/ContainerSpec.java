package berth.runtime.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * What one test container runs: the process (args, environment, working directory, terminal, stdin),
 * its network namespace, the cleanup command the runtime should run after the exit, and the stop
 * signal. {@link OciConfig} turns it into config.json; everything else in the bundle is fixed.
 */
public record ContainerSpec(List<String> args, List<String> env, String cwd, boolean terminal, boolean stdin,
                            Network network, List<String> cleanupCommand, int stopSignal) {
    public static final List<String> DEFAULT_ENV = List.of("PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root", "TERM=xterm");

    public ContainerSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        cleanupCommand = List.copyOf(cleanupCommand);
    }

    /** {@code /bin/sh -c script} with the default environment, in /, in the given network. */
    public static ContainerSpec shell(String script, Network network) {
        return new ContainerSpec(List.of("/bin/sh", "-c", script), DEFAULT_ENV, "/", false, false, network, List.of(), 15);
    }

    public ContainerSpec withTerminal(boolean on) {
        return new ContainerSpec(args, env, cwd, on, stdin, network, cleanupCommand, stopSignal);
    }

    public ContainerSpec withStdin(boolean on) {
        return new ContainerSpec(args, env, cwd, terminal, on, network, cleanupCommand, stopSignal);
    }

    public ContainerSpec withNetwork(Network n) {
        return new ContainerSpec(args, env, cwd, terminal, stdin, n, cleanupCommand, stopSignal);
    }

    public ContainerSpec withCleanupCommand(List<String> command) {
        return new ContainerSpec(args, env, cwd, terminal, stdin, network, command, stopSignal);
    }

    /** The container's network namespace as config.json asks for it. */
    public sealed interface Network permits Network.Fresh, Network.Join, Network.Host {
        /** A namespace entry without a path: the runtime makes a new namespace ({@code NEW_NETNS}). */
        record Fresh() implements Network {
        }

        /** A namespace entry naming an existing namespace by path ({@code JOIN_NETNS}). */
        record Join(Path path) implements Network {
        }

        /** No network namespace entry: the container shares the host's (for runtimes with neither feature). */
        record Host() implements Network {
        }
    }
}
