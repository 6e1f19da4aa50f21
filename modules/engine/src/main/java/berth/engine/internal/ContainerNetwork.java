package berth.engine.internal;

import berth.kernel.model.Container;
import berth.kernel.model.ContainerState;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.HostEntry;
import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.spi.runtime.OciRuntime;
import berth.kernel.spi.runtime.RuntimeFeature;
import berth.kernel.error.BerthException;
import berth.kernel.trace.Trace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container's network: the namespace berth makes for it, the backend's setup in it, and the
 * teardown. Each step is recorded in the container's state before the next, so a crash midway is
 * torn down later: the namespace path before setup, the status after it (for a setup made beside
 * the runtime's create, together with the created state: {@link #finish}).
 */
public final class ContainerNetwork {
    private final EngineContext ctx;
    private final NetworkBackends backends;
    private final PeerHosts peerHosts;

    public ContainerNetwork(EngineContext ctx, NetworkBackends backends, PeerHosts peerHosts) {
        this.ctx = ctx;
        this.backends = backends;
        this.peerHosts = peerHosts;
    }

    /**
     * What the OCI spec needs of a container's network once it is set up; with {@code pending}, a setup
     * still under way (its addresses and name servers not known yet: see {@link #finish}).
     */
    public record Prepared(Container container, String netnsPath, Map<String, List<String>> hostEntries, List<String> nameservers,
                           List<String> searchDomains, BackgroundSetup pending) {
        static Prepared none(Container c) {
            return new Prepared(c, null, Map.of(), List.of(), List.of(), null);
        }

        /** Whether the bundle written before set-up (none of this known) is still the right one. */
        public boolean changesBundle() {
            return netnsPath != null || !hostEntries.isEmpty() || !nameservers.isEmpty() || !searchDomains.isEmpty();
        }

        public boolean inBackground() {
            return pending != null;
        }
    }

    /**
     * The namespace path init's network setup will use when it may run in the background (a backend
     * sets it up, the runtime joins the namespace; it does when no hook is configured), else null: a
     * bundle written ahead with it is the one init writes.
     */
    public static String backgroundNetnsPath(EngineContext ctx, NetworkSpec net, OciRuntime rt, String id) {
        if (!net.needsBackend() || NetworkConnections.offEveryNetwork(net) || !rt.features().contains(RuntimeFeature.JOIN_NETNS)) {
            return null;
        }
        return NetNs.pathFor(ctx.config().runRoot(), id).toString();
    }

    /** Whether the bundle of such a container is known before network set-up (no namespace path in it). */
    public static boolean bundleIndependentOfNetwork(NetworkSpec net, OciRuntime rt) {
        return !net.needsBackend() && (net.isHost() || rt.features().contains(RuntimeFeature.NEW_NETNS));
    }

    /**
     * Makes the namespace and sets up the network the container asked for, under its lock; saves each
     * step. With {@code inBackground}, the backend's setup runs on a thread of its own and the result
     * carries it pending: the caller creates the container meanwhile and then {@link #finish}es it (or
     * {@link #settle}s it when something failed in between).
     */
    public Prepared setUp(Container c, OciRuntime rt, boolean inBackground) {
        NetworkSpec net = c.config().network();
        if (!net.needsBackend() || NetworkConnections.offEveryNetwork(net)) {
            if (net.isHost() || net.isNone() && rt.features().contains(RuntimeFeature.NEW_NETNS)) {
                return Prepared.none(c);
            }
            // a loopback-only namespace: for a runtime that cannot make one itself, or one that a later
            // network connect can join
            Path ns = NetNs.create(ctx.config().runRoot(), c.id());
            return new Prepared(save(c.withState(c.state().toBuilder().netNsPath(ns.toString()).build())), ns.toString(),
                    Map.of(), List.of(), List.of(), null);
        }
        if (!rt.features().contains(RuntimeFeature.JOIN_NETNS)) {
            throw ContainerErrors.unsupported(c, rt.name(), "join a network namespace, so it cannot use network " + net.mode()
                    + "; use --network none");
        }
        NetworkBackend b = backends.forMode(net.mode()); // a network removed since create fails here
        if (inBackground) {
            // the namespace's path is known before it is made: the spec is written meanwhile; the thread
            // makes it, records its path, then sets up; the status is saved by finish(), with the created state
            Path ns = NetNs.pathFor(ctx.config().runRoot(), c.id());
            Container cur = c.withState(c.state().toBuilder().netNsPath(ns.toString()).build());
            BackgroundSetup bg = BackgroundSetup.begin(() -> {
                NetNs.create(ctx.config().runRoot(), c.id());
                CrashPoints.here("init:after-netns");
            }, () -> save(cur), b, request(c, ns), ns);
            return new Prepared(cur, ns.toString(), Map.of(), List.of(), List.of(), bg);
        }
        Path ns = NetNs.create(ctx.config().runRoot(), c.id());
        CrashPoints.here("init:after-netns");
        Container cur = save(c.withState(c.state().toBuilder().netNsPath(ns.toString()).build()));
        NetworkRequest request = request(c, ns);
        NetworkStatus st;
        try {
            st = BackgroundSetup.setUpOrUndo(b, request, ns); // awaitReady once the runtime created the container
        } catch (RuntimeException e) {
            save(cur.withState(cur.state().toBuilder().netNsPath(null).build()));
            throw e;
        }
        CrashPoints.here("init:after-network-setup");
        cur = save(cur.withState(cur.state().toBuilder().networkStatus(st.toJson()).build()));
        return new Prepared(cur, ns.toString(), hostEntries(cur, st), st.dnsServers(), st.dnsSearch(), null);
    }

    /**
     * Waits for a setup begun in the background and puts its outcome into the container's next state:
     * its status, or (the setup failed and undid itself) no namespace. The caller saves that state;
     * the failure comes back for it to throw once saved.
     */
    public Finished finish(Prepared net, ContainerState.Builder next) {
        try {
            NetworkStatus st = net.pending().await();
            CrashPoints.here("init:after-network-setup");
            next.networkStatus(st.toJson());
            return new Finished(st, null);
        } catch (RuntimeException e) {
            next.netNsPath(null);
            return new Finished(null, e);
        }
    }

    /** A background setup's outcome: its status, or what it failed with. */
    public record Finished(NetworkStatus status, RuntimeException failure) {
    }

    /**
     * When init fails before {@link #finish}: waits for the background setup and saves its outcome, so
     * that the cleanup that follows tears down what it set up (and never runs beside it). Returns the
     * setup's failure, if any: the cause to report (the runtime's create fails when the failed setup
     * has removed the namespace).
     */
    public RuntimeException settle(Prepared net) {
        Container c = net.container();
        ContainerState.Builder next = c.state().toBuilder();
        Finished f = finish(net, next);
        save(c.withState(next.build()));
        return f.failure();
    }

    /**
     * Once the status of a background setup is saved: the container's hosts and resolv.conf, written
     * with the bundle before its addresses were known, rewritten in place with them; then its peers'.
     */
    public void fillEtcFiles(Container c, NetworkStatus st) {
        peerHosts.refresh(c, () -> EtcFiles.rewrite(ctx.paths(c.id()).bundleDir(), c.config(), PeerHosts.hostname(c.config()),
                hostEntries(c, st), HostsBase.of(ctx.config().containerDefaults(), c.config(), st), st.dnsServers(), st.dnsSearch()));
        Trace.mark("init: /etc files filled in");
    }

    /**
     * Once the runtime created the container: waits for a backend whose network comes up in the
     * background (slirp4netns), so that its start overlapped the runtime's create.
     */
    public void awaitReady(Container c) {
        String ns = c.state().netNsPath();
        NetworkStatus st = NetworkStatus.fromJson(c.state().networkStatus());
        if (ns == null || st == null || !c.config().network().needsBackend()) {
            return;
        }
        backends.byId(st.backend()).awaitReady(request(c, Path.of(ns)), st);
        Trace.mark("init: network ready");
    }

    /** The container's /etc/hosts lines: its own addresses with its names, its peers', then the backend's own. */
    Map<String, List<String>> hostEntries(Container c, NetworkStatus st) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (List<String> ips : st.addresses().values()) {
            for (String ip : ips) {
                out.put(PeerHosts.stripPrefix(ip), List.of(PeerHosts.hostname(c.config()), c.name()));
            }
        }
        out.putAll(peerHosts.peerLines(c));
        for (HostEntry h : st.hostEntries()) {
            out.putIfAbsent(PeerHosts.stripPrefix(h.address()), h.names());
        }
        return out;
    }

    /** Its line in its peers' /etc/hosts, and theirs in its own, once its own file is written. */
    public void announce(Container c) {
        peerHosts.refresh(c);
    }

    /** Again once it runs: a peer that started at the same moment skipped it while it was only created. */
    public void announceRunning(Container c) {
        peerHosts.updatePeers(c, true);
    }

    /**
     * Tears down the network and removes the namespace; saves the container without them. A failing
     * backend is reported, and the namespace goes all the same (as libpod), so rm is never stuck on a
     * broken plugin.
     */
    public Container tearDown(Container c) {
        return tearDown(c, true);
    }

    /**
     * As {@link #tearDown(Container)}; {@code persist} false when the record is removed next (run --rm,
     * under a remove intent): the record is then not saved without the network (a synced write on the
     * path the user waits on), and a crash before its removal leaves the teardown to be done again,
     * which every backend's teardown tolerates.
     */
    public Container tearDown(Container c, boolean persist) {
        String ns = c.state().netNsPath();
        if (ns == null) {
            return c;
        }
        NetworkStatus st = NetworkStatus.fromJson(c.state().networkStatus());
        // a bridge container taken off every network has nothing for a backend to undo, unless it was set up
        if (c.config().network().needsBackend() && (st != null || !NetworkConnections.offEveryNetwork(c.config().network()))) {
            peerHosts.updatePeers(c, false);
            Trace.mark("network: peers updated");
            try {
                NetworkBackend b = st != null ? backends.byId(st.backend()) : backends.forMode(c.config().network().mode());
                b.teardownDiscardingNamespace(request(c, Path.of(ns)), st != null ? st : NetworkStatus.empty(b.id()));
            } catch (BerthException e) {
                ctx.warnings().accept(e.getMessage());
            }
        }
        NetNs.remove(Path.of(ns));
        Trace.mark("network: namespace removed");
        Container without = c.withState(c.state().toBuilder().netNsPath(null).networkStatus(Map.of()).build());
        if (persist) {
            save(without);
            Trace.mark("network: teardown saved");
        }
        return without;
    }

    static NetworkRequest request(Container c, Path ns) {
        return new NetworkRequest(c.id(), c.name(), PeerHosts.hostname(c.config()), ns, NetworkAliases.forBackend(c.config().network()));
    }

    private Container save(Container c) {
        ctx.state().saveContainer(c);
        return c;
    }
}
