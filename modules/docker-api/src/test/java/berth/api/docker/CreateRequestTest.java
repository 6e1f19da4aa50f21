package berth.api.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.CreateOptions;
import berth.kernel.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker's create body as the engine's options, as the docker CLI and docker-py send it. */
class CreateRequestTest {
    @Test
    void configAndHostConfigMapToTheRunFlags() throws Exception {
        CreateOptions o = CreateRequest.parse("/web", Json.parseObject("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"true\"],"
                + "\"Entrypoint\":null,\"Env\":[\"A=1\"],\"WorkingDir\":\"/w\",\"Tty\":true,\"OpenStdin\":true,\"Labels\":{\"k\":\"v\"},"
                + "\"HostConfig\":{\"Binds\":[\"vol:/data:ro\"],\"NetworkMode\":\"net1\",\"AutoRemove\":true,"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3},"
                + "\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]},"
                + "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/scratch\"}]}}"));
        assertEquals("web", o.name());
        assertEquals("busybox", o.image());
        assertEquals(List.of("sh", "-c", "true"), o.command());
        assertNull(o.entrypoint(), "null keeps the image's entrypoint");
        assertEquals(List.of("A=1"), o.env());
        assertEquals("/w", o.workingDir());
        assertTrue(o.terminal() && o.interactive() && o.autoRemove());
        assertEquals(Map.of("k", "v"), o.labels());
        assertEquals(List.of("vol:/data:ro"), o.volumes());
        assertEquals("net1", o.network());
        assertEquals("on-failure:3", o.restart());
        assertEquals(List.of("127.0.0.1:8080:80/tcp"), o.publish());
        assertEquals(List.of("type=tmpfs,target=/scratch"), o.mounts());
        assertEquals("never", o.pull(), "a missing image is a 404 the client answers with a pull");
    }

    @Test
    void anEmptyHostPortGetsAFreeOneAndDefaultNetworkIsTheEnginesDefault() throws Exception {
        CreateOptions o = CreateRequest.parse(null, Json.parseObject("{\"Image\":\"busybox\",\"Entrypoint\":[],"
                + "\"HostConfig\":{\"NetworkMode\":\"default\",\"PortBindings\":{\"8080/tcp\":[{\"HostPort\":\"\"}]}}}"));
        assertNull(o.network());
        assertEquals(List.of(), o.entrypoint(), "an empty list clears it");
        assertEquals(1, o.publish().size());
        assertTrue(o.publish().get(0).matches("[0-9]+:8080/tcp"), o.publish().toString());
    }

    @Test
    void privilegedIsPassedOn() throws Exception {
        assertTrue(CreateRequest.parse(null, Json.parseObject("{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}")).privileged());
        assertEquals(false, CreateRequest.parse(null, Json.parseObject("{\"Image\":\"busybox\",\"HostConfig\":{}}")).privileged());
    }

    /** Go decodes a null in a []string or map[string]string as "": so does berth, instead of failing on it later. */
    @Test
    void nullEntriesReadAsEmptyStringsAsGoDecodesThem() throws Exception {
        CreateOptions o = CreateRequest.parse(null, Json.parseObject("{\"Image\":\"busybox\",\"Cmd\":[\"echo\",null],"
                + "\"Env\":[null,\"A=1\"],\"Labels\":{\"k\":null},"
                + "\"HostConfig\":{\"CapAdd\":[null],\"Dns\":[null],\"ExtraHosts\":[null],\"Binds\":[null],\"Sysctls\":{\"a\":null}}}"));
        assertEquals(List.of("echo", ""), o.command());
        assertEquals(List.of("", "A=1"), o.env());
        assertEquals(Map.of("k", ""), o.labels());
    }

    @Test
    void noImageIsABadRequest() throws Exception {
        ApiError e = assertThrows(ApiError.class, () -> CreateRequest.parse(null, Json.parseObject("{}")));
        assertEquals(400, e.status());
    }
}
