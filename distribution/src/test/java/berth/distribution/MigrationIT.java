package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth system migrate-state}: copy, verify, then switch; the source is never changed. */
class MigrationIT {
    @TempDir
    Path tmp;
    Berth berth;
    Path conf;

    @BeforeEach
    void setUp() throws Exception {
        berth = new Berth(tmp);
        conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "# berth test configuration\n[engine]\nruntime = \"crun\"\ndatabase_backend = \"file\"\n");
        berth.global("--config", conf.toString());
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    @Test
    void migratesFileToSqliteAndBoltAndBack() throws Exception {
        String rootfs = Berth.rootfs().toString();
        berth.run("create", "--name", "a", "--rootfs", rootfs, "true").ok();
        berth.run("run", "--name", "b", "--rootfs", rootfs, "sh", "-c", "exit 3");
        berth.run("create", "--name", "c", "--requires", "a", "--rootfs", rootfs, "true").ok();
        String before = berth.run("ps", "-a", "--format", "{{.Names}} {{.Status}}").ok().out();

        String out = berth.run("system", "migrate-state", "--to", "sqlite").ok().out();
        assertTrue(out.contains("migrated 3 containers"), out);
        String text = Files.readString(conf);
        assertTrue(text.contains("database_backend = \"sqlite\"") && text.contains("# berth test configuration"), text);
        assertTrue(Files.exists(berth.root().resolve("libpod/db.sql")));
        assertEquals(sorted(before), sorted(berth.run("ps", "-a", "--format", "{{.Names}} {{.Status}}").ok().out()));
        assertEquals("3", berth.run("inspect", "-f", "{{.State.ExitCode}}", "b").ok().line());

        // the file records are untouched: a migration only copies
        assertEquals(3, Files.list(berth.root().resolve("libpod/file-state/containers")).count());

        berth.run("system", "migrate-state", "--to", "boltdb").ok();
        assertEquals(sorted(before), sorted(berth.run("ps", "-a", "--format", "{{.Names}} {{.Status}}").ok().out()));
        berth.run("rm", "c").ok();
        berth.run("start", "-a", "a").ok();
    }

    @Test
    void refusesToMergeIntoANonEmptyTargetAndKeepsTheConfiguration() throws Exception {
        String rootfs = Berth.rootfs().toString();
        berth.run("create", "--name", "x", "--rootfs", rootfs, "true").ok();
        berth.run("system", "migrate-state", "--to", "sqlite").ok();
        // back to file, then try to migrate into the sqlite store that already holds x
        Files.writeString(conf, Files.readString(conf).replace("database_backend = \"sqlite\"", "database_backend = \"file\""));
        Berth.Result r = berth.run("system", "migrate-state", "--to", "sqlite");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().contains("already holds containers"), r.err());
        assertTrue(Files.readString(conf).contains("database_backend = \"file\""), "configuration switched after a failed migration");
        Berth.Result unknown = berth.run("system", "migrate-state", "--to", "nosuch");
        assertEquals(125, unknown.exitCode());
        assertTrue(unknown.err().contains("nosuch") && unknown.err().contains("sqlite"), unknown.err());
    }

    private static List<String> sorted(String s) {
        return s.lines().map(l -> l.replaceAll("\\d+ (second|minute)s? ago|Less than a second ago", "T")).sorted().toList();
    }
}
