package berth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.RawJson;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.model.ContainerState;
import berth.kernel.model.ContainerStatus;
import berth.kernel.model.ExecSession;
import berth.kernel.model.MountSpec;
import berth.kernel.model.NetworkSpec;
import berth.kernel.model.PortMapping;
import berth.kernel.model.Resources;
import berth.kernel.model.RestartPolicy;
import berth.kernel.model.Rlimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value types: parsing of user input, the state machine, and the on-disk codec. */
class ModelTest {
    @Test
    void restartPolicies() {
        assertEquals(new RestartPolicy(RestartPolicy.Kind.ON_FAILURE, 2), RestartPolicy.parse("on-failure:2"));
        assertEquals(RestartPolicy.NO, RestartPolicy.parse(null));
        assertEquals("unless-stopped", RestartPolicy.parse("unless-stopped").toString());
        BerthException bad = assertThrows(BerthException.class, () -> RestartPolicy.parse("sometimes"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, bad.code());
        assertTrue(bad.getMessage().contains("sometimes"));
        assertThrows(BerthException.class, () -> RestartPolicy.parse("always:3"));
        assertThrows(BerthException.class, () -> RestartPolicy.parse("on-failure:x"));
    }

    @Test
    void portsAndMounts() {
        assertEquals(new PortMapping("127.0.0.1", 8080, 80, "tcp"), PortMapping.parse("127.0.0.1:8080:80"));
        assertEquals(new PortMapping("", 53, 53, "udp"), PortMapping.parse("53/udp"));
        assertThrows(BerthException.class, () -> PortMapping.parse("70000:80"));
        assertThrows(BerthException.class, () -> PortMapping.parse("80/sctp"));
        MountSpec v = MountSpec.parseVolume("/data:/srv:ro");
        assertTrue(v.readOnly());
        assertEquals("/srv", v.destination());
        assertThrows(BerthException.class, () -> MountSpec.parseVolume("named:/srv"));
        assertThrows(BerthException.class, () -> MountSpec.parseVolume("/a:/b:bogus"));
        assertEquals("tmpfs", MountSpec.parseTmpfs("/run:size=1m").type());
    }

    @Test
    void stateMachineFollowsLibpod() {
        assertTrue(ContainerStatus.CONFIGURED.canMoveTo(ContainerStatus.CREATED));
        assertTrue(ContainerStatus.RUNNING.canMoveTo(ContainerStatus.PAUSED));
        assertFalse(ContainerStatus.PAUSED.canMoveTo(ContainerStatus.CREATED));
        assertFalse(ContainerStatus.REMOVING.canMoveTo(ContainerStatus.RUNNING));
        assertTrue(ContainerStatus.STOPPED.canStart() && ContainerStatus.EXITED.canStart());
        assertFalse(ContainerStatus.RUNNING.canStart());
        assertEquals("exited", ContainerStatus.STOPPED.display());
        assertEquals(ContainerStatus.STOPPING, ContainerStatus.parse("stopping"));
    }

    @Test
    void containerRecordsRoundTripThroughJson() throws Exception {
        ContainerConfig cfg = ContainerConfig.builder().id("a".repeat(64)).name("web").rootfs("/r").command(List.of("sh", "-c", "echo \"hi\""))
                .env(List.of("A=1")).labels(Map.of("k", "v")).mounts(List.of(MountSpec.parseVolume("/d:/d")))
                .network(new NetworkSpec("bridge", List.of("berth"), Map.of("ip", "10.89.0.5"), List.of(PortMapping.parse("8080:80"))))
                .restartPolicy(RestartPolicy.parse("on-failure:3")).stopSignal(10).resources(new Resources(64 << 20, 1_500_000_000L, 100))
                .dependencies(List.of("b".repeat(64))).autoRemove(false).createdAt(Instant.parse("2026-11-25T10:00:00Z")).runtime("crun").build();
        ContainerState st = ContainerState.configured().toBuilder().status(ContainerStatus.RUNNING).pid(42).conmonPid(41)
                .startedAt(Instant.parse("2026-11-25T10:00:01.123456789Z")).putExecSession(new ExecSession("e1", List.of("ls"), 7, true, -1))
                .networkStatus(Map.of("backend", "cni")).build();
        Container c = new Container(cfg, st);
        Container back = Container.fromJson(Json.parseObject(Json.writeBytes(c.toJson())));
        assertEquals(c, back);
    }

    @Test
    void commandLineCapabilitiesRlimitsAndSeccompFilterRoundTrip() throws Exception {
        ContainerConfig cfg = ContainerConfig.builder().id("c".repeat(64)).name("sec").rootfs("/r").command(List.of("true"))
                .createCommand(List.of("/usr/bin/berth", "run", "--ulimit", "nofile=1:2", "/r", "true"))
                .capabilities(List.of("CAP_CHOWN", "CAP_KILL")).rlimits(List.of(new Rlimit("RLIMIT_NOFILE", 2, 1)))
                .seccompFilter("/var/lib/berth/libpod/seccomp/abc-8000.json").createdAt(Instant.parse("2026-11-25T10:00:00Z")).build();
        Container c = new Container(cfg, ContainerState.configured());
        assertEquals(c, Container.fromJson(Json.parseObject(Json.writeBytes(c.toJson()))));
        ContainerConfig host = cfg.toBuilder().rlimits(List.of()).seccompFilter(null).build();
        ContainerConfig hostBack = Container.fromJson(Json.parseObject(Json.writeBytes(new Container(host, ContainerState.configured()).toJson())))
                .config();
        assertEquals(List.of(), hostBack.rlimits(), "--ulimit host: none, not the engine's defaults");
        assertEquals(null, hostBack.seccompFilter());
        ContainerConfig unset = cfg.toBuilder().rlimits(null).build();
        assertEquals(null, Container.fromJson(Json.parseObject(Json.writeBytes(new Container(unset, ContainerState.configured()).toJson())))
                .config().rlimits(), "nothing configured stays unset");
    }

    @Test
    void rawJsonIsWrittenAsItIs() throws Exception {
        Map<String, Object> doc = linked("a", new RawJson("{\"b\":[1,2]}"), "c", 1L);
        assertEquals("{\"a\":{\"b\":[1,2]},\"c\":1}", Json.write(doc));
        assertEquals(Json.parse("{\"a\":{\"b\":[1,2]},\"c\":1}"), Json.parse(Json.write(doc, true)), "pretty output stays JSON");
    }

    private static Map<String, Object> linked(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    void malformedJsonIsRejectedWithItsLocation() {
        Json.MalformedJsonException e = assertThrows(Json.MalformedJsonException.class, () -> Json.parse("{\"a\": [1, 2"));
        assertTrue(e.getMessage().contains("at line 1, column"), e.getMessage());
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse("{} trailing"));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void errorsCarryPodmanExitCodes() {
        assertEquals(127, new BerthException(ErrorCode.COMMAND_NOT_FOUND, "x").exitCode());
        assertEquals(126, new BerthException(ErrorCode.PERMISSION_DENIED, "x").exitCode());
        assertEquals(125, new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container web is running").exitCode());
        assertEquals("container web is running: container state improper",
                new BerthException(ErrorCode.CONTAINER_STATE_INVALID, "container web is running").getMessage());
    }
}
