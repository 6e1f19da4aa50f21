package berth.network.netavark;

import berth.bolt.db.BoltDb;
import berth.bolt.db.Bucket;
import berth.bolt.db.Tx;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Addresses, allocated in podman's IPAM database ({@code ipam.db} in the netavark run directory,
 * containers/common libnetwork/netavark/ipam.go), so podman and berth, sharing the file, never give
 * one address to two containers. bbolt's flock on the file is the lock both take.
 *
 * <p>Layout: a bucket per network name; in it a bucket per subnet ({@code "10.89.0.0/24"}) mapping
 * each address (4 bytes) to the container ID, with {@code lastIP} the last address handed out (the
 * next search starts after it), and a bucket {@code ids} mapping a container ID to the JSON array of
 * its addresses on that network.
 */
final class IpamDb {
    private static final byte[] IDS = "ids".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAST_IP = "lastIP".getBytes(StandardCharsets.UTF_8);

    private final Path file;

    IpamDb(Path runDir) {
        this.file = runDir.resolve("ipam.db");
    }

    Path file() {
        return file;
    }

    /** One network to allocate on; {@code staticIp} asks for that address (null: the next free one). */
    record Request(PodmanNetwork network, Integer staticIp) {
    }

    /**
     * Allocates one address per IPv4 subnet of each network, all or none (one transaction).
     *
     * @return the addresses by network name, in subnet order
     */
    Map<String, List<Integer>> allocate(String containerId, List<Request> requests) {
        return withDb(db -> db.update(tx -> {
            Map<String, List<Integer>> out = new LinkedHashMap<>();
            for (Request r : requests) {
                PodmanNetwork n = r.network();
                if (!n.allocatesAddresses()) {
                    continue;
                }
                Bucket net = tx.createBucketIfNotExists(n.name().getBytes(StandardCharsets.UTF_8));
                List<Integer> ips = new ArrayList<>();
                for (PodmanNetwork.Subnet s : n.subnets()) {
                    if (!s.isIpv4()) {
                        throw new BerthException(ErrorCode.NETWORK_ERROR, "network " + n.name() + " has IPv6 subnet " + s.subnet()
                                + ": IPv6 is not supported by berth's netavark backend yet");
                    }
                    Ipv4Net subnet = s.ipv4();
                    Bucket sb = net.createBucketIfNotExists(subnet.toString().getBytes(StandardCharsets.UTF_8));
                    int ip;
                    if (r.staticIp() != null && subnet.contains(r.staticIp())) {
                        ip = r.staticIp();
                        byte[] holder = sb.get(Ipv4Net.bytes(ip));
                        if (holder != null) {
                            throw new BerthException(ErrorCode.NETWORK_ERROR, "IPAM error: requested ip address " + Ipv4Net.dotted(ip)
                                    + " is already allocated to container ID " + new String(holder, StandardCharsets.UTF_8));
                        }
                    } else {
                        ip = free(sb, subnet, s.gateway());
                        sb.put(LAST_IP, Ipv4Net.bytes(ip));
                    }
                    sb.put(Ipv4Net.bytes(ip), containerId.getBytes(StandardCharsets.UTF_8));
                    ips.add(ip);
                }
                List<String> dotted = ips.stream().map(Ipv4Net::dotted).toList();
                net.createBucketIfNotExists(IDS).put(containerId.getBytes(StandardCharsets.UTF_8), Json.writeBytes(dotted));
                out.put(n.name(), ips);
            }
            return out;
        }));
    }

    /** The next free address after {@code lastIP}, wrapping around, skipping the gateway (libnetwork's getFreeIPFromBucket). */
    private static int free(Bucket sb, Ipv4Net subnet, String gateway) {
        long start = (subnet.address() & 0xffffffffL) + 1;
        long end = (subnet.last() & 0xffffffffL) - 1; // the broadcast address is no host's
        if (subnet.prefix() >= 31) {
            start = subnet.address() & 0xffffffffL;
            end = subnet.last() & 0xffffffffL;
        }
        long gw = gateway.isEmpty() ? -1 : Ipv4Net.parseAddress(gateway, "gateway") & 0xffffffffL;
        byte[] last = sb.get(LAST_IP);
        long cur = last != null && last.length == 4 ? (Ipv4Net.fromBytes(last) & 0xffffffffL) + 1 : start;
        if (cur < start || cur > end) {
            cur = start;
        }
        long count = end - start + 1;
        for (long i = 0; i < count; i++, cur++) {
            if (cur > end) {
                cur = start;
            }
            if (cur != gw && sb.get(Ipv4Net.bytes((int) cur)) == null) {
                return (int) cur;
            }
        }
        throw new BerthException(ErrorCode.NETWORK_ERROR, "IPAM error: failed to find free IP in range: "
                + Ipv4Net.dotted((int) start) + " - " + Ipv4Net.dotted((int) end));
    }

    /** The container's addresses by network, as the {@code ids} buckets record them (empty when it has none). */
    Map<String, List<String>> assigned(String containerId) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        byte[] cid = containerId.getBytes(StandardCharsets.UTF_8);
        return withDb(db -> db.view(tx -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            tx.forEachBucket((name, net) -> {
                Bucket ids = net.bucket(IDS);
                byte[] v = ids == null ? null : ids.get(cid);
                if (v != null) {
                    out.put(new String(name, StandardCharsets.UTF_8), addresses(v));
                }
            });
            return out;
        }));
    }

    private static List<String> addresses(byte[] json) {
        try {
            Object o = Json.parse(json);
            List<String> out = new ArrayList<>();
            if (o instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x)));
            }
            return out;
        } catch (Json.MalformedJsonException e) {
            return List.of();
        }
    }

    /**
     * Frees every address the container holds on the network (found by value, so a record whose
     * {@code ids} entry was lost is freed too) and its {@code ids} entry. Harmless when it holds none.
     */
    void release(String containerId, String network) {
        if (!Files.exists(file)) {
            return;
        }
        byte[] cid = containerId.getBytes(StandardCharsets.UTF_8);
        withDb(db -> db.update(tx -> {
            Bucket net = tx.bucket(network.getBytes(StandardCharsets.UTF_8));
            if (net == null) {
                return null;
            }
            List<byte[]> subnets = new ArrayList<>();
            net.forEach((k, v) -> {
                if (v == null && !Arrays.equals(k, IDS)) {
                    subnets.add(k.clone());
                }
            });
            for (byte[] name : subnets) {
                Bucket sb = net.bucket(name);
                if (sb == null) {
                    continue;
                }
                List<byte[]> mine = new ArrayList<>();
                sb.forEach((k, v) -> {
                    if (v != null && k.length == 4 && Arrays.equals(v, cid)) {
                        mine.add(k.clone());
                    }
                });
                mine.forEach(sb::delete);
            }
            Bucket ids = net.bucket(IDS);
            if (ids != null && ids.get(cid) != null) {
                ids.delete(cid);
            }
            return null;
        }));
    }

    /** Drops a removed network's bucket (libnetwork's removeNetworkIPAMBucket). */
    void removeNetwork(String network) {
        if (!Files.exists(file)) {
            return;
        }
        withDb(db -> db.update(tx -> {
            if (tx.bucket(network.getBytes(StandardCharsets.UTF_8)) != null) {
                tx.deleteBucket(network);
            }
            return null;
        }));
    }

    private <T> T withDb(java.util.function.Function<BoltDb, T> body) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (BoltDb db = BoltDb.open(file, BoltDb.Options.readWrite())) {
            return body.apply(db);
        }
    }
}
