package berth.engine.internal;

import berth.support.FileLocks;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerConfig;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.spi.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The /etc/hosts lines by which containers on one named network know each other. A container's own
 * file gets a line per peer when it starts; each peer's file gets (or loses) the container's line.
 * Peers are the containers with addresses on the same network in their state (set at network setup,
 * cleared at teardown). Files are rewritten in place: they are bind-mounted, a rename would not be
 * seen inside. Every read-modify-write happens under one lock shared by all berth processes.
 */
public final class PeerHosts {
    static final String HOSTS_LOCK = "network-hosts";

    private final Supplier<StateStore> state;
    private final LockManager locks;
    private final Function<String, Path> hostsFileOf;
    private final Consumer<String> warnings;

    public PeerHosts(Supplier<StateStore> state, LockManager locks, Function<String, Path> hostsFileOf, Consumer<String> warnings) {
        this.state = state;
        this.locks = locks;
        this.hostsFileOf = hostsFileOf;
        this.warnings = warnings;
    }

    /** The name a container has on its networks besides its own: its hostname, else its short ID. */
    public static String hostname(ContainerConfig c) {
        return c.hostname() == null || c.hostname().isEmpty() ? c.shortId() : c.hostname();
    }

    public static String stripPrefix(String ip) {
        int slash = ip.indexOf('/');
        return slash >= 0 ? ip.substring(0, slash) : ip;
    }

    /** A container's addresses by network, from its state. */
    public static Map<String, List<String>> addresses(Container c) {
        NetworkStatus st = NetworkStatus.fromJson(c.state().networkStatus());
        return st == null ? Map.of() : st.addresses();
    }

    /** Lines (address → names) for the peers of {@code self} on its named networks. */
    public Map<String, List<String>> peerLines(Container self) {
        return peerLines(self, state.get().allContainers());
    }

    static Map<String, List<String>> peerLines(Container self, List<Container> all) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> mine = self.config().network().networks();
        if (mine.isEmpty()) {
            return out;
        }
        for (Container o : all) {
            if (o.id().equals(self.id())) {
                continue;
            }
            for (Map.Entry<String, List<String>> e : addresses(o).entrySet()) {
                if (mine.contains(e.getKey())) {
                    for (String ip : e.getValue()) {
                        out.put(stripPrefix(ip), names(o, e.getKey()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Once the container's own hosts file is written and its addresses saved: its peer lines rebuilt
     * from the state, and its line added to each peer's file. Containers set up at the same time each
     * do this after saving their addresses, so whichever comes second sees the other.
     */
    public void refresh(Container self) {
        refresh(self, () -> { });
    }

    /**
     * As {@link #refresh(Container)}, with the container's own files written first under the same lock:
     * once its addresses are saved, a peer starting at the same moment may edit its hosts file, and
     * the two read-modify-writes must not interleave.
     */
    public void refresh(Container self, Runnable writeOwnFiles) {
        Map<String, List<String>> mine = addresses(self);
        if (mine.isEmpty() || self.config().network().networks().isEmpty()) {
            writeOwnFiles.run(); // no peers: nobody else edits its files
            return;
        }
        List<String> own = new ArrayList<>();
        mine.values().forEach(own::addAll);
        try (FileLocks.Held ignored = locks.lock(HOSTS_LOCK)) {
            writeOwnFiles.run();
            Path hosts = hostsFileOf.apply(self.id());
            if (Files.exists(hosts)) {
                try {
                    List<String> lines = keepOwnLines(Files.readAllLines(hosts), own);
                    peerLines(self).forEach((ip, names) -> lines.add(ip + "\t" + String.join(" ", names)));
                    rewrite(hosts, lines);
                } catch (IOException ex) {
                    warnings.accept("cannot update /etc/hosts of container " + self.name() + ": " + ex.getMessage());
                }
            }
            Map<String, List<String>> joined = joinedAddresses(self);
            if (!joined.isEmpty()) {
                updatePeersLocked(self, joined, true);
            }
        }
    }

    /**
     * The lines of a hosts file that are not a peer's: a peer's line is one for another address in
     * one of the container's own subnets ({@code ownAddresses} with their prefixes), other than
     * host.containers.internal (the bridge's gateway). The base file's, {@code --add-host}'s and the
     * container's own lines stay.
     */
    static List<String> keepOwnLines(List<String> lines, List<String> ownAddresses) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            boolean internal = java.util.Arrays.asList(f).contains(HostsFile.HOST_CONTAINERS_INTERNAL);
            if (internal || !isPeerAddress(f[0], ownAddresses)) {
                out.add(l);
            }
        }
        return out;
    }

    /** In one of the subnets of {@code own} ("IP/PREFIX") and not one of those addresses. */
    private static boolean isPeerAddress(String ip, List<String> own) {
        byte[] a = literal(ip);
        if (a == null) {
            return false; // a comment, a blank line
        }
        for (String o : own) {
            int slash = o.indexOf('/');
            byte[] b = literal(slash < 0 ? o : o.substring(0, slash));
            if (b == null || b.length != a.length) {
                continue;
            }
            if (java.util.Arrays.equals(a, b)) {
                return false;
            }
            int prefix = slash < 0 ? b.length * 8 : Integer.parseInt(o.substring(slash + 1));
            if (samePrefix(a, b, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal's bytes, null for anything else (never a name lookup). */
    private static byte[] literal(String s) {
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || s.indexOf(':') >= 0)) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
                return null; // not an address literal: getByName would look it up
            }
        }
        try {
            return java.net.InetAddress.getByName(s).getAddress(); // a literal: parsed, not looked up
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Adds (or removes) this container's line in the /etc/hosts of its peers. */
    public void updatePeers(Container self, boolean add) {
        Map<String, List<String>> mine = joinedAddresses(self);
        if (mine.isEmpty()) {
            return; // no peers (--network none, host, slirp4netns): the global hosts lock is not taken
        }
        try (FileLocks.Held ignored = locks.lock(HOSTS_LOCK)) {
            updatePeersLocked(self, mine, add);
        }
    }

    /** Only the named networks it joined: slirp4netns containers all have 10.0.2.100 and are nobody's peers. */
    private Map<String, List<String>> joinedAddresses(Container self) {
        Map<String, List<String>> mine = new LinkedHashMap<>(addresses(self));
        mine.keySet().retainAll(self.config().network().networks());
        return mine;
    }

    private void updatePeersLocked(Container self, Map<String, List<String>> mine, boolean add) {
        for (Container o : state.get().allContainers()) {
            if (o.id().equals(self.id())) {
                continue;
            }
            Map<String, List<String>> theirs = addresses(o);
            for (Map.Entry<String, List<String>> e : mine.entrySet()) {
                if (!theirs.containsKey(e.getKey())) {
                    continue;
                }
                Path hosts = hostsFileOf.apply(o.id());
                if (!Files.exists(hosts)) {
                    continue; // not written yet: the peer rebuilds its own lines from the state (refresh)
                }
                try {
                    rewrite(hosts, withLine(Files.readAllLines(hosts), e.getValue(), names(self, e.getKey()), add));
                } catch (IOException ex) {
                    warnings.accept("cannot update /etc/hosts of container " + o.name() + ": " + ex.getMessage());
                }
            }
        }
    }

    /** A peer's lines with {@code self}'s line for each of its addresses replaced, or removed. */
    static List<String> withLine(List<String> lines, List<String> addresses, List<String> names, boolean add) {
        List<String> out = new ArrayList<>(lines);
        for (String ip : addresses) {
            String bare = stripPrefix(ip);
            out.removeIf(l -> l.startsWith(bare + "\t"));
            if (add) {
                out.add(bare + "\t" + String.join(" ", names));
            }
        }
        return out;
    }

    /** A container's names on one network: its name, its hostname, its aliases there ({@code network connect --alias}). */
    static List<String> names(Container c, String network) {
        List<String> out = new ArrayList<>(List.of(c.name(), hostname(c.config())));
        for (String a : NetworkAliases.of(c.config().network(), network)) {
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static void rewrite(Path hosts, List<String> lines) throws IOException {
        Files.write(hosts, lines, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
