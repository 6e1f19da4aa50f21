package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import berth.kernel.model.Container;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerHostsTest {
    private final Container web = Fixtures.onNetwork(Fixtures.id('a'), "web", "", "berth", "10.89.0.2/24");
    private final Container db = Fixtures.onNetwork(Fixtures.id('b'), "db", "database", "berth", "10.89.0.3/24");
    private final Container elsewhere = Fixtures.onNetwork(Fixtures.id('c'), "other", "", "other-net", "10.90.0.2/24");
    private final Container stopped = Fixtures.onNetwork(Fixtures.id('d'), "gone", "", "berth", null);

    @Test
    void peersAreTheContainersWithAnAddressOnTheSameNetwork() {
        Map<String, List<String>> lines = PeerHosts.peerLines(web, List.of(web, db, elsewhere, stopped));
        assertEquals(Map.of("10.89.0.3", List.of("db", "database")), lines);
    }

    @Test
    void aContainerWithoutAHostnameIsKnownByItsShortId() {
        assertEquals(Map.of("10.89.0.2", List.of("web", "aaaaaaaaaaaa")), PeerHosts.peerLines(db, List.of(web, db)));
    }

    @Test
    void rebuildingDropsOnlyPeersLinesInTheContainersOwnSubnets() {
        List<String> file = List.of("# managed by berth", "10.1.2.3\tfrom-add-host", "127.0.0.1\tlocalhost", "::1\tlocalhost",
                "192.168.1.5\tfrom-the-hosts-file", "10.89.0.1\thost.containers.internal", "10.89.0.2\tweb aaaa",
                "10.89.0.9\tleft-over", "10.89.1.9\tanother-subnet", "");
        assertEquals(List.of("# managed by berth", "10.1.2.3\tfrom-add-host", "127.0.0.1\tlocalhost", "::1\tlocalhost",
                        "192.168.1.5\tfrom-the-hosts-file", "10.89.0.1\thost.containers.internal", "10.89.0.2\tweb aaaa",
                        "10.89.1.9\tanother-subnet", ""),
                PeerHosts.keepOwnLines(file, List.of("10.89.0.2/24")));
    }

    @Test
    void aPeersLineIsReplacedWhenAddedAndDroppedWhenRemoved() {
        List<String> file = List.of("127.0.0.1\tlocalhost", "10.89.0.3\tstale names");
        assertEquals(List.of("127.0.0.1\tlocalhost", "10.89.0.3\tdb database"), PeerHosts.withLine(file, List.of("10.89.0.3/24"), PeerHosts.names(db, "net"), true));
        assertEquals(List.of("127.0.0.1\tlocalhost"), PeerHosts.withLine(file, List.of("10.89.0.3/24"), PeerHosts.names(db, "net"), false));
    }

    @Test
    void addressesComeFromTheTypedStatusAndFromOlderRecords() {
        assertEquals(Map.of("berth", List.of("10.89.0.3/24")), PeerHosts.addresses(db));
        Container old = db.withState(db.state().toBuilder().networkStatus(Map.of("backend", "cni",
                "addresses", Map.of("berth", List.of("10.89.0.7")), "details", Map.of())).build());
        assertEquals(Map.of("berth", List.of("10.89.0.7")), PeerHosts.addresses(old));
    }
}
