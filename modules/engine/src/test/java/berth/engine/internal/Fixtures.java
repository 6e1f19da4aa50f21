package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkAttachment;
import berth.kernel.spi.network.NetworkStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Containers built the way the factory builds them, for tests of the logic that needs no root. */
final class Fixtures {
    private Fixtures() {
    }

    static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    static Container container(String id, String name, List<String> dependencies) {
        return new Container(ContainerConfig.builder().id(id).name(name).rootfs("/r").command(List.of("true"))
                .dependencies(dependencies).createdAt(Instant.EPOCH).build(), ContainerState.configured());
    }

    /** A container on {@code network} with {@code cidr} recorded as its address there. */
    static Container onNetwork(String id, String name, String hostname, String network, String cidr) {
        ContainerConfig cfg = ContainerConfig.builder().id(id).name(name).rootfs("/r").command(List.of("true")).hostname(hostname)
                .network(new NetworkSpec("bridge", List.of(network), Map.of(), List.of())).createdAt(Instant.EPOCH).build();
        Map<String, Object> status = cidr == null ? Map.of() : new NetworkStatus("cni",
                List.of(new NetworkAttachment(network, "eth0", List.of(cidr), List.of(), "")), List.of(), List.of(), List.of(),
                Map.of()).toJson();
        return new Container(cfg, ContainerState.configured().toBuilder().networkStatus(status).build());
    }
}
