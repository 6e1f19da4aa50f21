package berth.cli;

import berth.kernel.json.Json;
import berth.kernel.spi.network.NetworkDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth network create|ls|inspect|rm}. */
@Command(name = "network", description = "Manage networks.",
        subcommands = {NetworkCommands.Create.class, NetworkCommands.Ls.class, NetworkCommands.Inspect.class, NetworkCommands.Rm.class})
final class NetworkCommands implements Runnable {
    @ParentCommand
    BerthCommand root;

    @Option(names = {"-h", "--help"}, usageHelp = true)
    boolean help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        NetworkCommands parent;

        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;
    }

    @Command(name = "create", description = "Create a bridge network.")
    static final class Create extends Sub {
        @Option(names = "--subnet", description = "Subnet in CIDR form (default: a free 10.89.N.0/24).")
        String subnet;
        @Option(names = "--gateway", description = "Gateway address.")
        String gateway;
        @Parameters(arity = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            System.out.println(parent.root.engine().createNetwork(name, subnet, gateway).name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List networks.")
    static final class Ls extends Sub {
        @Override
        public Integer call() {
            System.out.printf("%-20s %-10s %-18s %s%n", "NAME", "DRIVER", "SUBNET", "GATEWAY");
            for (NetworkDefinition d : parent.root.engine().networks()) {
                System.out.printf("%-20s %-10s %-18s %s%n", d.name(), d.driver(), d.subnet(), d.gateway());
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show networks as JSON.")
    static final class Inspect extends Sub {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            List<Object> out = new ArrayList<>();
            for (String n : names) {
                NetworkDefinition d = parent.root.engine().networks().stream().filter(x -> x.name().equals(n)).findFirst()
                        .orElseThrow(() -> new berth.kernel.error.BerthException(berth.kernel.error.ErrorCode.NETWORK_ERROR,
                                "network " + n + " not found"));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", d.name());
                m.put("driver", d.driver());
                m.put("subnet", d.subnet());
                m.put("gateway", d.gateway());
                m.putAll(d.details());
                out.add(m);
            }
            System.out.println(Json.write(out, true));
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove networks (refused while containers use them).")
    static final class Rm extends Sub {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            return ContainerCommands.forEach(names, n -> {
                parent.root.engine().removeNetwork(n);
                System.out.println(n);
            });
        }
    }
}
