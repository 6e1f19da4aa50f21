package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.kernel.error.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** run/create flags the CLI turns into options: --tz, --attach; and the batch commands' argument checks. */
class RunFlagsTest {
    @Test
    void timeZoneBindsTheZonesFile() throws Exception {
        Path zone = Path.of("/usr/share/zoneinfo/MST7MDT");
        assertTrue(Files.isRegularFile(zone), "this machine lacks tzdata (/usr/share/zoneinfo): install the tzdata package");
        assertEquals(List.of("/a:/b", zone.toRealPath() + ":/etc/localtime:ro"), Commands.withTimeZone(List.of("/a:/b"), "MST7MDT"));
        assertEquals(List.of(Path.of("/etc/localtime").toRealPath() + ":/etc/localtime:ro"), Commands.withTimeZone(List.of(), "local"));
        assertEquals(List.of(), Commands.withTimeZone(List.of(), null));
        BerthException bad = assertThrows(BerthException.class, () -> Commands.withTimeZone(List.of(), "Mars/Olympus"));
        assertTrue(bad.getMessage().contains("unknown time zone Mars/Olympus"), bad.getMessage());
        assertThrows(BerthException.class, () -> Commands.withTimeZone(List.of(), "../../../etc/passwd"), "no file outside zoneinfo");
    }

    private static Args parse(Cmd cmd, String... argv) {
        return Args.parse(cmd, List.of(argv), "berth " + cmd.name());
    }

    private static Cmd command(String name) {
        return Commands.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void stopTakesPodmansTimeoutSpelling() {
        assertEquals("5", parse(command("stop"), "--timeout=5", "c").get("time"));
        assertEquals("7", parse(command("stop"), "-t", "7", "c").get("time"));
        assertTrue(parse(command("run"), "--privileged", "img").has("privileged"));
        BerthException bad = assertThrows(BerthException.class,
                () -> Commands.createOptions(parse(command("create"), "--stop-signal=99", "--rootfs", "/nonexistent"), "berth create"));
        assertEquals("valid signals are 1 through 64", bad.getMessage(), "checked before the rootfs and the command");
    }

    @Test
    void attachNamesStreams() {
        assertEquals(java.util.Set.of("stdin"), Commands.attachStreams(parse(command("run"), "--attach", "stdin", "img")));
        assertEquals(java.util.Set.of("stdout", "stderr"), Commands.attachStreams(parse(command("run"), "-a", "stdout", "-a", "STDERR", "img")));
        BerthException bad = assertThrows(BerthException.class, () -> Commands.attachStreams(parse(command("run"), "-a", "tty", "img")));
        assertEquals("invalid stream \"tty\" for --attach - must be one of stdin, stdout, or stderr", bad.getMessage());
    }

    @Test
    void batchFlagsKeepTheCommandsOwnShortNames() {
        assertTrue(parse(command("rm"), "-f", "x").has("force"), "rm -f is --force");
        assertEquals(List.of("status=exited"), parse(command("stop"), "-f", "status=exited").all("filter"), "stop -f is --filter");
        assertTrue(parse(command("stop"), "-i", "x").has("ignore"));
        assertEquals("1s", parse(command("wait"), "-i", "1s", "x").get("interval"), "wait -i is --interval");
        assertTrue(parse(command("start"), "-i", "x").has("interactive"));
    }
}
