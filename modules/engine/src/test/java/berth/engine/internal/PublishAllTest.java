package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.PortMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -P}: which ports get a host port, and the specs {@code --expose} takes. */
class PublishAllTest {
    @Test
    void exposedSpecsExpandToPortAndProtocol() {
        assertEquals(List.of("80/tcp"), PublishAll.expand("80", "x"));
        assertEquals(List.of("53/udp"), PublishAll.expand("53/UDP", "x"));
        assertEquals(List.of("8000/tcp", "8001/tcp", "8002/tcp"), PublishAll.expand("8000-8002/tcp", "x"));
        for (String bad : List.of("", "0", "65536", "80/sctp", "9-8", "+80", "a", "80-")) {
            BerthException e = assertThrows(BerthException.class, () -> PublishAll.expand(bad, "--expose"), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("--expose"), e.getMessage());
        }
    }

    @Test
    void eachExposedPortNotMappedByTheUserGetsItsOwnFreeHostPort() {
        List<PortMapping> user = List.of(new PortMapping("127.0.0.1", 18080, 80, "tcp"));
        List<PortMapping> added = PublishAll.ports(List.of("80/tcp", "443/tcp", "53/udp"), List.of("443", "9000-9001"), user);
        assertEquals(List.of("443/tcp", "53/udp", "9000/tcp", "9001/tcp"),
                added.stream().map(p -> p.containerPort() + "/" + p.protocol()).toList(), "80 keeps the user's mapping; 443 once");
        for (PortMapping p : added) {
            assertEquals("", p.hostIp());
            assertTrue(p.hostPort() > 0 && p.hostPort() <= 65535, p.toString());
        }
        // distinct per protocol: a TCP and a UDP socket may share a number (CI once drew 44435 for both)
        assertEquals(4, added.stream().map(p -> p.hostPort() + "/" + p.protocol()).distinct().count(), "distinct host ports: " + added);
        assertNotEquals(0, added.get(0).hostPort());
        assertEquals(List.of(), PublishAll.ports(List.of(), List.of(), List.of()));
    }
}
