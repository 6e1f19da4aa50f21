package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.engine.EngineConfig;
import berth.engine.events.Event;
import berth.engine.events.EventCodec;
import berth.engine.events.EventFile;
import berth.engine.events.EventFilter;
import berth.engine.events.EventStatus;
import berth.engine.events.EventType;
import berth.engine.events.EventsError;
import berth.engine.events.GoTime;
import berth.kernel.error.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** containers.conf's events settings, the file sink's appends and podman's rotation, and reading back. */
class EventLogTest {
    @TempDir
    Path tmp;

    private EngineConfig config(String engineToml) throws Exception {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\n" + engineToml);
        return ConfigLoader.load(new ConfigOverrides(conf.toString(), tmp.resolve("root").toString(), tmp.resolve("run").toString(),
                null, null, null, null), Map.of());
    }

    private static Event volume(String name) {
        return new Event(GoTime.now(), EventType.VOLUME, EventStatus.CREATE.text(), "", name, "", "", 0, "", "", null);
    }

    @Test
    void fileIsTheDefaultAtPodmansPlaceUnderTheTmpDir() throws Exception {
        List<String> warnings = new ArrayList<>();
        EventLog log = EventLog.open(config(""), warnings::add);
        assertEquals("file", log.backend());
        assertEquals(tmp.resolve("run/libpod/events/events.log"), log.path());
        log.volume("v1", EventStatus.CREATE);
        log.volume("v1", EventStatus.REMOVE);
        List<String> lines = Files.readAllLines(log.path());
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).matches("\\{\"Name\":\"v1\",\"Status\":\"create\",\"Time\":\"[0-9T:.-]+(Z|[+-]\\d\\d:\\d\\d)\",\"Type\":\"volume\","
                + "\"Attributes\":null}"), lines.get(0));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aConfiguredPathAndNone() throws Exception {
        Path file = tmp.resolve("elsewhere/ev.log");
        assertEquals(file, EventLog.open(config("events_logfile_path = \"" + file + "\"\n"), w -> { }).path());
        EventLog none = EventLog.open(config("events_logger = \"none\"\n"), w -> { });
        none.volume("v", EventStatus.CREATE);
        assertEquals("none", none.backend());
        assertTrue(!Files.exists(none.path()));
    }

    @Test
    void journaldAndUnknownLoggersArePodmansErrors() throws Exception {
        BerthException j = assertThrows(EventsError.class, () -> EventLog.open(config("events_logger = \"journald\"\n"), w -> { }));
        assertEquals("eventer creation: no support for journald logging", j.getMessage());
        assertEquals("unknown event logger type: SYSLOG",
                assertThrows(EventsError.class, () -> EventLog.open(config("events_logger = \"syslog\"\n"), w -> { })).getMessage());
    }

    @Test
    void sizesReadAsContainersConfReadsThem() {
        assertEquals(1_000_000L, EventLog.maxSize(""));
        assertEquals(4750L, EventLog.maxSize("4750"));
        assertEquals(1_000_000L, EventLog.maxSize("1m"));
        assertEquals(2_500L, EventLog.maxSize("2.5KB"));
        assertThrows(EventsError.class, () -> EventLog.maxSize("lots"));
    }

    @Test
    void concurrentWritersNeverInterleaveALine() throws Exception {
        Path file = tmp.resolve("events.log");
        EventSink.File sink = new EventSink.File(file, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        int writers = 8;
        int each = 500;
        for (int w = 0; w < writers; w++) {
            int id = w;
            pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    sink.write(volume("w" + id + "-" + i + "-" + "x".repeat(300)));
                }
                return null;
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        List<String> lines = Files.readAllLines(file);
        assertEquals(writers * each, lines.size());
        Set<String> names = new HashSet<>();
        for (String l : lines) {
            names.add(EventCodec.decode(l).name());
        }
        assertEquals(writers * each, names.size());
    }

    @Test
    void pastTheLimitTheLogKeepsItsNewerHalfAndSaysSo() throws Exception {
        // podman's own test: 100 lines, a limit of exactly half the file, one more event
        Path file = tmp.resolve("events.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append(String.format("{\"Name\":\"busybox\",\"Status\":\"pull\",\"Time\":\"2022-04-06T11:26:42.7236679%02d+02:00\",\"Type\":\"image\","
                    + "\"Attributes\":null}\n", i));
        }
        Files.writeString(file, sb);
        List<String> before = Files.readAllLines(file);
        new EventSink.File(file, 4750).write(volume("after"));
        List<String> after = Files.readAllLines(file);
        // the cut lands on a line's start and podman drops the line it lands in all the same: 49 stay
        assertEquals(before.subList(51, 100), after.subList(0, 49));
        assertEquals("log-rotation", EventCodec.decode(after.get(49)).status());
        assertEquals(file.toString(), EventCodec.decode(after.get(49)).name());
        assertEquals("after", EventCodec.decode(after.get(50)).name());
        assertEquals(51, after.size()); // podman's test counts 51 events after the rotation
    }

    @Test
    void aFollowerSeesLinesWrittenAfterItStarted() throws Exception {
        Path file = tmp.resolve("follow.log");
        EventSink.File sink = new EventSink.File(file, 0);
        sink.write(volume("old"));
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> new EventFile(file).follow(EventFilter.none(), false, e -> seen.add(e.name()), () -> { }));
        t.start();
        Thread.sleep(300);
        sink.write(volume("new1"));
        sink.write(volume("new2"));
        long deadline = System.currentTimeMillis() + 5000;
        while (seen.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        t.interrupt();
        t.join(5000);
        assertEquals(List.of("new1", "new2"), seen);
    }
}
