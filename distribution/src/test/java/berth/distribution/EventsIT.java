package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #14 item 3 (events, podman's file backend) and item 4's init, through bin/berth on conmon and crun. */
class EventsIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    private Path logFile() {
        return berth.runRoot().resolve("libpod/events/events.log");
    }

    private List<String> statuses(String... filters) {
        List<String> args = new ArrayList<>(List.of("events", "--stream=false", "--format", "{{.Status}}"));
        for (String f : filters) {
            args.add("--filter");
            args.add(f);
        }
        return berth.run(args.toArray(String[]::new)).ok().out().lines().toList();
    }

    private void awaitStatus(String container, String status) {
        assertTrue(Berth.eventually(20000, () -> statuses("container=" + container).contains(status)),
                "no " + status + " event for " + container + ": " + statuses("container=" + container));
    }

    @Test
    void everyLifecycleStepIsLoggedInOrder() {
        berth.run("run", "--rm", "--name", "once", "--label", "app=web", "--rootfs", rootfs, "true").ok();
        assertEquals(List.of("create", "init", "start", "attach", "died", "cleanup", "remove"), statuses("container=once"));

        String id = berth.run("create", "--name", "life", "--rootfs", rootfs, "sleep", "1000").ok().line();
        berth.run("init", "life").ok();
        berth.run("start", "life").ok();
        berth.run("exec", "life", "true").ok();
        berth.run("pause", "life").ok();
        berth.run("unpause", "life").ok();
        berth.run("kill", "life").ok();
        awaitStatus("life", "cleanup"); // died and cleanup come from conmon's exit command
        berth.run("rm", "life").ok();
        assertEquals(List.of("create", "init", "start", "exec", "exec_died", "pause", "unpause", "kill", "died", "cleanup", "remove"),
                statuses("container=" + id.substring(0, 12)));

        // died carries the exit code and the labels, as podman's does since 4.3
        berth.run("run", "--name", "seventeen", "--label", "lname=lvalue with space", "--rootfs", rootfs, "sh", "-c", "exit 17");
        assertEquals("lvalue with space--17", berth.run("events", "--stream=false", "--filter", "container=seventeen", "--filter", "status=died",
                "--format", "{{.Attributes.lname}}--{{.ContainerExitCode}}").ok().line());

        // stop and restart
        berth.run("run", "-d", "--name", "svc", "--rootfs", rootfs, "sleep", "1000").ok();
        berth.run("stop", "-t", "0", "svc").ok();
        berth.run("restart", "-t", "0", "svc").ok();
        List<String> svc = statuses("container=svc");
        assertEquals(List.of("create", "init", "start", "died", "cleanup", "stop"), svc.subList(0, 6), svc.toString());
        assertTrue(svc.subList(6, svc.size()).containsAll(List.of("init", "start", "restart")), svc.toString());
    }

    @Test
    void theDefaultLineIsPodmansAndNoTruncFalseShortensTheId() {
        String id = berth.run("run", "-d", "--name", "shown", "--label", "k=v", "--rootfs", rootfs, "true").ok().line();
        String line = berth.run("events", "--stream=false", "--filter", "container=shown", "--filter", "event=start").ok().line();
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? [+-]\\d{4} \\S+ container start " + id + " \\(image=, name=shown, k=v\\)"),
                line);
        String truncated = berth.run("events", "--stream=false", "--filter", "container=shown", "--filter", "event=start", "--no-trunc=false")
                .ok().line();
        assertTrue(truncated.contains(" container start " + id.substring(0, 12) + " (image="), truncated);
        // --no-trunc does not touch --format: the full ID
        assertEquals(id + "--", berth.run("events", "--stream=false", "--filter", "container=shown", "--filter", "event=start",
                "--format", "{{.ID}}--{{.Image}}", "--no-trunc=false").ok().line());
        // json is the log's own line
        String json = berth.run("events", "--stream=false", "--filter", "container=shown", "--filter", "event=create", "--format", "json").ok().line();
        assertTrue(Berth.read(logFile()).lines().anyMatch(json::equals), json);
        assertTrue(json.startsWith("{\"ID\":\"" + id + "\",\"Name\":\"shown\",\"Status\":\"create\",\"Time\":\""), json);
    }

    @Test
    void filtersCombineAsPodmansDo() {
        berth.run("run", "--name", "foo", "--rm", "--label", "tier=front", "--rootfs", rootfs, "true").ok();
        berth.run("run", "--name", "bar", "--rm", "--label", "tier=back", "--rootfs", rootfs, "true").ok();
        // podman's regression test for #10507: the same key twice is either
        String both = berth.run("events", "--stream=false", "--filter", "container=foo", "--filter", "container=bar", "--filter", "event=start")
                .ok().out();
        assertTrue(both.matches("(?s).* container start .* name=foo.*\n.* container start .* name=bar.*\n"), both);
        assertEquals(List.of("start"), statuses("type=container", "label=tier=back", "event=start"));
        assertEquals(List.of("died", "died"), statuses("event=died", "label=tier=back", "label=tier=front"));
        assertEquals(List.of(), statuses("type=image"));
        assertEquals(List.of("create", "create"), statuses("status=create", "type=container"));
    }

    @Test
    void sinceAndUntilBoundTheEvents() throws Exception {
        berth.run("run", "--rm", "--name", "before", "--rootfs", rootfs, "true").ok();
        Thread.sleep(1100);
        String t0 = Long.toString(System.currentTimeMillis() / 1000);
        Thread.sleep(1100);
        berth.run("run", "--rm", "--name", "after", "--rootfs", rootfs, "true").ok();
        String sinceT0 = berth.run("events", "--stream=false", "--since", t0, "--format", "{{.Name}}").ok().out();
        assertTrue(sinceT0.contains("after") && !sinceT0.contains("before"), sinceT0);
        String untilT0 = berth.run("events", "--stream=false", "--until", t0, "--format", "{{.Name}}").ok().out();
        assertTrue(untilT0.contains("before") && !untilT0.contains("after"), untilT0);
        assertTrue(berth.run("events", "--stream=false", "--since", "1h", "--format", "{{.Name}}").ok().out().contains("before"));
        assertEquals("", berth.run("events", "--stream=false", "--since", "2s", "--until", "1s", "--filter", "container=before").ok().out());
        // an RFC 3339 since, as podman's tests write it (date --iso-8601=seconds)
        String iso = java.time.OffsetDateTime.now().plusMinutes(1).withNano(0).toString();
        assertEquals("", berth.run("events", "--stream=false", "--since", iso).ok().out());
    }

    @Test
    void aStreamShowsNewEventsUntilStoppedOrUntil() throws Exception {
        berth.run("run", "--rm", "--name", "old", "--rootfs", rootfs, "true").ok();
        Path out = tmp.resolve("stream.txt");
        Process p = berth.start(out, "events", "--format", "{{.Status}} {{.Name}}");
        try {
            Thread.sleep(1500); // the stream starts at the log's end
            berth.run("run", "--rm", "--name", "new", "--rootfs", rootfs, "true").ok();
            assertTrue(Berth.eventually(10000, () -> Berth.read(out).contains("remove new")), Berth.read(out));
            assertFalse(Berth.read(out).contains(" old"), Berth.read(out));
            assertTrue(p.isAlive(), "the stream ended by itself");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // with --until the stream ends at that time, and reads from the start
        Path out2 = tmp.resolve("until.txt");
        Process q = berth.start(out2, "events", "--until", "3s", "--format", "{{.Status}} {{.Name}}");
        assertTrue(q.waitFor(30, TimeUnit.SECONDS), "events --until 3s did not end");
        assertEquals(0, q.exitValue());
        assertTrue(Berth.read(out2).contains("create old"), Berth.read(out2));
    }

    @Test
    void badInputIsPodmansErrorAndExitCode() {
        Berth.Result bad = berth.run("events", "--stream=false", "--filter", "foo=bar");
        assertEquals(125, bad.exitCode());
        assertEquals("Error: failed to parse event filters: foo is an invalid filter", bad.err().strip());
        Berth.Result noValue = berth.run("events", "--filter", "container");
        assertEquals(125, noValue.exitCode());
        assertEquals("Error: failed to parse event filters: container is an invalid filter", noValue.err().strip());
        Berth.Result since = berth.run("events", "--stream=false", "--since", "yesterday");
        assertEquals(125, since.exitCode());
        assertEquals("Error: failed to parse event filters: unable to convert since time of yesterday: unable to interpret time value",
                since.err().strip());
    }

    @Test
    void theNoneBackendWritesNothingAndRefusesToRead() throws IOException {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nevents_logger = \"none\"\n");
        berth.global("--config", conf.toString());
        berth.run("run", "--rm", "--name", "quiet", "--rootfs", rootfs, "true").ok();
        assertFalse(Files.exists(logFile()));
        for (String[] args : new String[][] {{"events"}, {"events", "--stream=false"}}) {
            Berth.Result r = berth.run(args);
            assertEquals(125, r.exitCode());
            assertEquals("Error: cannot read events with the \"none\" backend", r.err().strip());
        }
    }

    @Test
    void theEventsBackendFlagOverridesTheConfigurationAndReachesTheCleanupProcess() throws Exception {
        // podman's bats test: "events - backend none should error"
        for (String[] args : new String[][] {{"--events-backend", "none", "events"}, {"--events-backend=none", "events", "--stream=false"}}) {
            Berth.Result r = berth.run(args);
            assertEquals(125, r.exitCode());
            assertEquals("Error: cannot read events with the \"none\" backend", r.err().strip());
        }
        // a detached container's died and cleanup are written by conmon's exit command: none there too
        berth.run("--events-backend", "none", "run", "-d", "--name", "silent", "--rootfs", rootfs, "true").ok();
        // (the poll too: whichever command records the exit first writes died, as in podman)
        assertTrue(Berth.eventually(20000, () -> berth.run("--events-backend", "none", "inspect", "-f", "{{.State.Status}}", "silent").ok().line()
                .equals("exited")), "the container did not exit");
        Thread.sleep(1000);
        assertEquals(List.of(), statuses("container=silent"));
        // and file overrides a configuration's none
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nevents_logger = \"none\"\n");
        berth.global("--config", conf.toString(), "--events-backend", "file");
        berth.run("run", "--rm", "--name", "loud", "--rootfs", rootfs, "true").ok();
        assertEquals(List.of("create", "init", "start", "attach", "died", "cleanup", "remove"), statuses("container=loud"));
    }

    @Test
    void journaldIsRefusedWithPodmansWords() throws IOException {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nevents_logger = \"journald\"\n");
        berth.global("--config", conf.toString());
        Berth.Result r = berth.run("ps", "-a");
        assertEquals(125, r.exitCode());
        assertEquals("Error: eventer creation: no support for journald logging", r.err().strip());
    }

    @Test
    void aConfiguredLogFileIsWhereEventsGoAndPodmanReadsIt() throws Exception {
        Path log = tmp.resolve("custom/events.log");
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nevents_logger = \"file\"\nevents_logfile_path = \"" + log + "\"\n");
        berth.global("--config", conf.toString());
        String id = berth.run("run", "-d", "--name", "shared", "--label", "a=<b&c>", "--rootfs", rootfs, "sh", "-c", "exit 3").ok().line();
        awaitStatus("shared", "cleanup");
        berth.run("rm", "shared").ok();
        assertFalse(Files.exists(logFile()));
        List<String> berthSays = berth.run("events", "--stream=false").ok().out().lines().toList();
        assertEquals(List.of("create", "init", "start", "died", "cleanup", "remove"),
                berthSays.stream().map(l -> l.split(" ")[5]).toList(), berthSays.toString());

        // podman 4.3.1 reads berth's file with its own file backend, and prints the same lines
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            throw new AssertionError("/usr/bin/podman (4.3.1) is missing: it is what this test compares with");
        }
        Path podmanConf = tmp.resolve("podman.conf");
        Files.writeString(podmanConf, "[engine]\nevents_logger = \"file\"\nevents_logfile_path = \"" + log + "\"\n");
        ProcessBuilder pb = new ProcessBuilder("podman", "--root", tmp.resolve("proot").toString(), "--runroot", tmp.resolve("prun").toString(),
                "--events-backend", "file", "events", "--stream=false", "--filter", "type=container");
        // (type=container: podman on a fresh run root logs its own "system refresh" into the same file)
        pb.environment().put("CONTAINERS_CONF", podmanConf.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String podmanOut = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), podmanOut);
        assertEquals(berthSays, podmanOut.lines().toList());
        assertTrue(podmanOut.contains("container died " + id + " (image=, name=shared, a=<b&c>)"), podmanOut);

        // and a podman filter over berth's lines
        ProcessBuilder pf = new ProcessBuilder("podman", "--root", tmp.resolve("proot").toString(), "--runroot", tmp.resolve("prun").toString(),
                "--events-backend", "file", "events", "--stream=false", "--filter", "event=died", "--format", "{{.ContainerExitCode}} {{.Name}}");
        pf.environment().put("CONTAINERS_CONF", podmanConf.toString());
        pf.redirectErrorStream(true);
        Process f = pf.start();
        String filtered = new String(f.getInputStream().readAllBytes());
        assertTrue(f.waitFor(60, TimeUnit.SECONDS));
        assertEquals("3 shared", filtered.strip());
    }

    @Test
    void initPreparesWithoutStarting() {
        String id = berth.run("create", "--name", "prep", "--rootfs", rootfs, "sleep", "1000").ok().line();
        assertEquals("prep", berth.run("init", "prep").ok().line()); // each argument echoed as given
        assertEquals("created", berth.run("inspect", "-f", "{{.State.Status}}", "prep").ok().line());
        Berth.Result again = berth.run("init", "prep");
        assertEquals(125, again.exitCode());
        assertEquals("Error: container " + id + " has already been created in runtime: container state improper", again.err().strip());
        berth.run("start", "prep").ok();
        assertEquals("running", berth.run("inspect", "-f", "{{.State.Status}}", "prep").ok().line());
        assertEquals(List.of("create", "init", "start"), statuses("container=prep"));

        // --all: every container, IDs printed, those already initialized passed over
        String other = berth.run("create", "--name", "other", "--rootfs", rootfs, "true").ok().line();
        String all = berth.run("init", "--all").ok().out();
        assertTrue(all.contains(other) && all.contains(id), all);
        assertEquals(List.of("create", "init"), statuses("container=other"));
        assertEquals(125, berth.run("init").exitCode());
        assertEquals("Error: you must provide at least one name or id", berth.run("init").err().strip());
        Berth.Result missing = berth.run("init", "nosuch");
        assertEquals(125, missing.exitCode());
        assertTrue(missing.err().contains("nosuch"), missing.err());
        Berth.Result latest = berth.run("container", "init", "--latest"); // the latest, other, is initialized already
        assertEquals(125, latest.exitCode());
        assertTrue(latest.err().contains(other + " has already been created in runtime"), latest.err());
    }
}
