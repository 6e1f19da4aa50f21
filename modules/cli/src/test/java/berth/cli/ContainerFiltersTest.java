package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.RestartPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** podman's container filters (ps, and the batch commands' --filter), its sort keys and its errors. */
class ContainerFiltersTest {
    private static final String ID_A = "a".repeat(64);
    private static final String ID_B = "b".repeat(64);
    private static final String ID_C = "c".repeat(64);

    private static Container c(String id, String name, ContainerStatus status, int exit, long created, ContainerConfig.Builder extra) {
        ContainerConfig cfg = extra.id(id).name(name).rootfs("/r").command(List.of("sleep", "9")).createdAt(Instant.ofEpochSecond(created)).build();
        ContainerState st = ContainerState.configured().toBuilder().status(status).exitCode(exit).exited(status == ContainerStatus.EXITED).build();
        return new Container(cfg, st);
    }

    private final Container web = c(ID_A, "web", ContainerStatus.RUNNING, 0, 100, ContainerConfig.builder()
            .labels(Map.of("app", "shop", "tier", "front")).network(new NetworkSpec("bridge", List.of("frontnet"), Map.of(), List.of()))
            .mounts(List.of(new MountSpec("volume", "/var/lib/berth/volumes/data/_data", "/data", List.of()))));
    private final Container job = c(ID_B, "job-1", ContainerStatus.EXITED, 3, 200, ContainerConfig.builder()
            .restartPolicy(new RestartPolicy(RestartPolicy.Kind.ON_FAILURE, 0)).image("quay.io/app/job:latest", "f00dfeed"));
    private final Container fresh = c(ID_C, "fresh", ContainerStatus.CONFIGURED, 0, 300, ContainerConfig.builder());
    private final List<Container> all = List.of(web, job, fresh);

    private List<String> names(String... filters) {
        ContainerFilters f = new ContainerFilters(List.of(filters), this::lookup);
        List<String> out = new ArrayList<>();
        for (Container c : all) {
            if (f.matches(c)) {
                out.add(c.name());
            }
        }
        return out;
    }

    private Container lookup(String n) {
        return all.stream().filter(c -> c.name().equals(n) || c.id().startsWith(n)).findFirst()
                .orElseThrow(() -> new BerthException(berth.kernel.error.ErrorCode.NO_SUCH_CONTAINER, n));
    }

    @Test
    void eachKeyMatchesAsPodmans() {
        assertEquals(List.of("job-1"), names("id=bbb"));
        assertEquals(List.of("job-1"), names("name=^job"), "name is a regular expression");
        assertEquals(List.of("web"), names("label=app=shop"));
        assertEquals(List.of("web"), names("label=tier"));
        assertEquals(List.of("job-1", "fresh"), names("label!=app"));
        assertEquals(List.of("fresh"), names("status=created"));
        assertEquals(List.of("job-1"), names("status=exited"));
        assertEquals(List.of("job-1"), names("status=stopped"), "podman's stopped is exited");
        assertEquals(List.of("job-1"), names("exited=3"));
        assertEquals(List.of(), names("exited=0"), "only exited containers have an exit code to match");
        assertEquals(List.of("job-1"), names("ancestor=quay.io/app/job"), "an image tagged latest matches untagged");
        assertEquals(List.of("job-1"), names("ancestor=f00d"));
        assertEquals(List.of("web"), names("before=job-1"));
        assertEquals(List.of("fresh"), names("since=job-1"));
        assertEquals(List.of("web"), names("volume=data"));
        assertEquals(List.of("web"), names("volume=/data"));
        assertEquals(List.of("web"), names("network=frontnet"));
        assertEquals(List.of("job-1"), names("restart-policy=on-failure"));
        assertEquals(List.of("web", "fresh"), names("restart-policy=none"));
    }

    @Test
    void valuesOfOneKeyAnyKeysAll() {
        assertEquals(List.of("web", "job-1"), names("name=web", "name=job"));
        assertEquals(List.of("job-1"), names("name=web", "name=job", "status=exited"));
    }

    @Test
    void badFiltersArePodmansErrors() {
        assertEquals("color is an invalid filter", assertThrows(BerthException.class, () -> names("color=red")).getMessage());
        assertEquals("invalid filter \"status\"", assertThrows(BerthException.class, () -> names("status")).getMessage());
        assertEquals("fakepolicy invalid restart policy",
                assertThrows(BerthException.class, () -> names("restart-policy=fakepolicy")).getMessage());
        assertEquals("unknown container state: sleeping", assertThrows(BerthException.class, () -> names("status=sleeping")).getMessage());
        assertEquals(125, assertThrows(BerthException.class, () -> names("exited=x")).exitCode());
    }

    @Test
    void psSortKeys() {
        List<Container> l = new ArrayList<>(all);
        l.sort(Output.psOrder("names"));
        assertEquals(List.of("fresh", "job-1", "web"), l.stream().map(Container::name).toList());
        l.sort(Output.psOrder("created"));
        assertEquals(List.of("fresh", "job-1", "web"), l.stream().map(Container::name).toList(), "created: newest first");
        l.sort(Output.psOrder("id"));
        assertEquals(List.of("web", "job-1", "fresh"), l.stream().map(Container::name).toList());
        BerthException bad = assertThrows(BerthException.class, () -> Output.psOrder("colour"));
        assertTrue(bad.getMessage().startsWith("invalid argument \"colour\" for \"--sort\" flag"), bad.getMessage());
    }

    @Test
    void cpArgumentsNameOneContainer() {
        assertEquals(new berth.engine.CopyRequest("web", "/etc/x", "/tmp/x", false, true, false),
                CopyCommand.request(List.of("web:/etc/x", "/tmp/x"), true, false));
        assertEquals(new berth.engine.CopyRequest("web", "tmp", "-", true, false, false),
                CopyCommand.request(List.of("-", "web:tmp"), false, false));
        // a path that starts with '.' or '/' is the host's, colon or not
        assertEquals(new berth.engine.CopyRequest("web", "/d", "./a:b", true, true, false),
                CopyCommand.request(List.of("./a:b", "web:/d"), true, false));
        assertTrue(assertThrows(BerthException.class, () -> CopyCommand.request(List.of("/a", "/b"), true, false))
                .getMessage().contains("you must specify one container"));
        assertFalse(CopyCommand.request(List.of("web:/x", "out"), true, false).intoContainer());
    }
}
