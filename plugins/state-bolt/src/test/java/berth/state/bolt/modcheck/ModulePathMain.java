package berth.state.bolt.modcheck;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.plugin.PluginRegistry;
import berth.kernel.spi.state.DbConfig;
import berth.kernel.spi.state.StateStore;
import berth.kernel.spi.state.StateStoreConfig;
import berth.kernel.spi.state.StateStoreProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link berth.state.bolt.ModulePathTest} with berth.state.bolt, the kernel and JNA
 * on the module path: finds the provider through its module descriptor and uses a store (JNA's
 * flock binding included), printing what it saw.
 */
public final class ModulePathMain {
    private ModulePathMain() {
    }

    public static void main(String[] args) {
        StateStoreProvider p = PluginRegistry.boot(w -> System.out.println("WARNING " + w)).select(StateStoreProvider.class, "boltdb");
        System.out.println("MODULE " + p.getClass().getModule().getName());
        Path dir = Path.of(args[0]);
        String d = dir.toString();
        try (StateStore s = p.open(new StateStoreConfig(dir, new DbConfig(d, d + "/tmp", d + "/root", d + "/run", d + "/vol"), Map.of(), w -> { }))) {
            ContainerConfig c = ContainerConfig.builder().id("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                    .name("modular").rootfs("/").command(List.of("/bin/true")).createdAt(Instant.EPOCH).build();
            s.addContainer(new Container(c, ContainerState.configured()));
            System.out.println("LISTED " + s.allContainers().size() + " " + s.lookupContainer("0123").name());
        }
    }
}
