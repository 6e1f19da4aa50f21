package berth.api.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenTest {
    @Test
    void unixAndTcpAddresses() {
        assertEquals(new Listen.Unix(Path.of("/run/berth/berth.sock")), Listen.parse(null));
        assertEquals(new Listen.Unix(Path.of("/tmp/x.sock")), Listen.parse("unix:///tmp/x.sock"));
        Listen.Tcp t = (Listen.Tcp) Listen.parse("tcp://127.0.0.1:2375");
        assertEquals(2375, t.port());
        assertTrue(t.loopback());
        assertFalse(((Listen.Tcp) Listen.parse("tcp://0.0.0.0:2375")).loopback(), "every interface is beyond loopback");
    }

    @Test
    void badAddressesNameTheProblem() {
        assertTrue(assertThrows(BerthException.class, () -> Listen.parse("unix://relative.sock")).getMessage().contains("absolute"));
        assertTrue(assertThrows(BerthException.class, () -> Listen.parse("tcp://127.0.0.1")).getMessage().contains("port"));
        assertTrue(assertThrows(BerthException.class, () -> Listen.parse("http://x")).getMessage().contains("unsupported"));
    }
}
