package berth.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import berth.kernel.json.JsonObject;
import berth.kernel.model.NetworkSpec;
import berth.kernel.spi.network.NetworkEnvironment;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.testsupport.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain starts its next plugin early ({@link CniChain}); these check, with the real plugins behind
 * logging wrappers, that each plugin still acts strictly after the one before it, ADD and DEL, and that
 * a plugin started for a chain that then failed never acts and is not left running.
 */
class CniChainTest {
    @TempDir
    Path tmp;

    private final List<Sys.Netns> namespaces = new ArrayList<>();
    private String tag;
    private Path bin;
    private Path log;
    private CniNetworkBackend backend;

    @BeforeAll
    static void tools() {
        Sys.requireTools("/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/firewall", "/usr/sbin/iptables-save");
    }

    @BeforeEach
    void setUp() throws IOException {
        tag = Sys.randomHex(4);
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("calls.log");
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("bridge") || name.equals("firewall")) {
                    wrap(name);
                } else {
                    Files.createSymbolicLink(bin.resolve(name), p);
                }
            }
        }
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("default_network", "bchain" + tag);
        opts.put("default_subnet", freeSubnet());
        opts.put("bridge_prefix", "bc" + tag);
        backend = new CniNetworkBackend(new NetworkEnvironment(tmp.resolve("conf"), tmp.resolve("run"), List.of(bin.toString()),
                opts, w -> { }));
    }

    /** The plugin behind a wrapper that logs when it acts (all of stdin read) and when it is done; FAIL-ADD makes its ADD fail. */
    private void wrap(String name) throws IOException {
        Path w = bin.resolve(name);
        Files.writeString(w, "#!/bin/sh\n"
                + "in=$(cat)\n"
                + "echo \"$CNI_COMMAND " + name + " acts\" >> " + log + "\n"
                + "if [ \"$CNI_COMMAND\" = ADD ] && [ -e " + tmp.resolve("FAIL-ADD-" + name) + " ]; then\n"
                + "  echo '{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"told to fail\"}'; exit 1\n"
                + "fi\n"
                + "printf '%s' \"$in\" | /usr/lib/cni/" + name + "; rc=$?\n"
                + "echo \"$CNI_COMMAND " + name + " done\" >> " + log + "\n"
                + "exit $rc\n");
        assertTrue(w.toFile().setExecutable(true));
    }

    @AfterEach
    void tearDown() {
        namespaces.forEach(Sys.Netns::close);
        for (String line : Sys.run("ip", "-o", "link", "show").out().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1 && f[1].split("@")[0].startsWith("bc" + tag)) {
                Sys.run("ip", "link", "del", f[1].split("@")[0]);
            }
        }
    }

    private static String freeSubnet() {
        String routes = Sys.ok("ip", "-4", "route", "show", "table", "all");
        for (int tries = 0; tries < 200; tries++) {
            String prefix = "10.89." + (192 + (int) (Math.random() * 64)) + ".";
            if (!routes.contains(prefix)) {
                return prefix + "0/24";
            }
        }
        throw new AssertionError("no free 10.89.x.0/24");
    }

    private NetworkRequest request(String id) {
        Sys.Netns ns = new Sys.Netns();
        namespaces.add(ns);
        return new NetworkRequest(id, "chain-" + id.substring(0, 8), "chain-host", ns.path, new NetworkSpec("bchain" + tag,
                List.of(), Map.of(), List.of()));
    }

    /** The ADD and DEL calls logged (the default network's creation asks the bridge plugin its VERSION). */
    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> !l.startsWith("VERSION ")).toList() : List.of();
    }

    @Test
    void eachPluginActsAfterThePreviousOneIsDoneAddAndDel() throws Exception {
        String id = Sys.randomHex(32);
        NetworkRequest r = request(id);
        NetworkStatus st = backend.setup(r);
        assertEquals(List.of("ADD bridge acts", "ADD bridge done", "ADD firewall acts", "ADD firewall done"), calls());
        Files.delete(log);
        // the chain alone (no rules deleted ahead): portmap and tuning pass through (no ports, no
        // settings), the others DEL in reverse order
        List<String> problems = new ArrayList<>();
        new CniChain(backend.invoker).del(backend.attachmentsFromStatus(st).get(0), id, r.netnsPath().toString(), problems);
        assertEquals(List.of(), problems);
        assertEquals(List.of("DEL firewall acts", "DEL firewall done", "DEL bridge acts", "DEL bridge done"), calls());
        assertFalse(Sys.ok("iptables-save").contains(id), "rules left after the teardown");
        assertTrue(Sys.processesWithEnvironment("CNI_CONTAINERID=" + id).isEmpty(), "a plugin left running");
    }

    @Test
    void theTeardownDeletesTheRulesAheadAndSkipsOnlyTheFirewallsDel() throws Exception {
        String id = Sys.randomHex(32);
        NetworkRequest r = request(id);
        NetworkStatus st = backend.setup(r);
        String ip = st.addresses().values().iterator().next().get(0).replaceAll("/.*", "");
        Files.delete(log);
        backend.teardown(r, st);
        assertEquals(List.of("DEL bridge acts", "DEL bridge done"), calls());
        String rules = Sys.ok("iptables-save");
        assertFalse(rules.contains(id), "rules left after the teardown:\n" + rules);
        assertFalse(rules.contains(" " + ip + "/32 "), "firewall rules left for " + ip + ":\n" + rules);
        assertTrue(Sys.processesWithEnvironment("CNI_CONTAINERID=" + id).isEmpty(), "a plugin left running");
    }

    @Test
    void aPluginStartedAheadOfAChainThatFailedNeverActsAndIsGone() throws Exception {
        Files.createFile(tmp.resolve("FAIL-ADD-bridge"));
        String id = Sys.randomHex(32);
        NetworkRequest r = request(id);
        BerthException e = assertThrows(BerthException.class, () -> backend.setup(r));
        assertTrue(e.getMessage().contains("told to fail"), e.getMessage());
        // the firewall was started while the bridge worked; its ADD never ran (the rollback's DELs may)
        assertFalse(calls().contains("ADD firewall acts"), String.valueOf(calls()));
        assertTrue(Sys.processesWithEnvironment("CNI_CONTAINERID=" + id).isEmpty(), "a plugin started ahead was left running");
        assertFalse(Sys.ok("iptables-save").contains(id), "rules left after the failed setup");
    }

    /** The claim that lets the teardown skip the firewall plugin: after the batch, its real DEL changes nothing. */
    @Test
    void afterTheBatchTheFirewallPluginsDelChangesNothing() throws Exception {
        String id = Sys.randomHex(32);
        NetworkRequest r = request(id);
        NetworkStatus st = backend.setup(r);
        List<CniNetworkBackend.Attachment> attachments = backend.attachmentsFromStatus(st);
        assertTrue(RulesAhead.delete(id, attachments), "the batch did not cover the firewall plugin's rules");
        String before = rulesOnly(Sys.ok("iptables-save"));
        CniNetworkBackend.Attachment a = attachments.get(0);
        JsonObject firewall = a.plugins().stream().filter(p -> p.str("type").equals("firewall")).findFirst().orElseThrow();
        backend.invoker.invoke("firewall", "DEL", new CniInvoker.Call(id, r.netnsPath().toString(), a.ifName, a.args),
                CniNetworkBackend.pluginConfig(a, firewall, a.result), a.network);
        assertEquals(before, rulesOnly(Sys.ok("iptables-save")), "the firewall plugin's DEL found something left to do");
        backend.teardown(r, st);
        assertFalse(Sys.ok("iptables-save").contains(id));
    }

    /** iptables-save without its comment lines (a timestamp) and chain counters. */
    private static String rulesOnly(String save) {
        return save.lines().filter(l -> !l.startsWith("#") && !l.startsWith(":")).collect(java.util.stream.Collectors.joining("\n"));
    }
}
