package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Named volumes through the CLI (issue #14 item 1), on real conmon and crun, on each of the three
 * state backends: podman's commands, output, errors and exit codes (test/system/160-volumes.bats).
 */
class VolumeIT {
    @TempDir
    Path tmp;
    Berth berth;
    String rootfs;

    private void open(String backend) {
        berth = new Berth(tmp).global("--db-backend", backend);
        rootfs = Berth.rootfs().toString();
    }

    @AfterEach
    void tearDown() {
        if (berth != null) {
            berth.cleanUp();
            for (String v : berth.run("volume", "ls", "-q").out().lines().toList()) {
                berth.run("volume", "unmount", v); // a tmpfs or bind volume must not stay mounted under the temp dir
            }
        }
    }

    /** run --rm VOLUME-FLAGS --rootfs ROOTFS sh -c SCRIPT. */
    private Berth.Result sh(List<String> flags, String script) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--rm"));
        args.addAll(flags);
        args.addAll(List.of("--rootfs", rootfs, "sh", "-c", script));
        return berth.run(args.toArray(String[]::new));
    }

    /**
     * An image's VOLUME paths become anonymous volumes (podman's rule): filled from the image's
     * files (copy-up), gone after {@code run --rm} and {@code rm -v}, and not made where a flag
     * mounts something at the path.
     */
    @Test
    void anImagesVolumesAreAnonymousVolumesFilledFromTheImage() throws Exception {
        open("file");
        try {
            imageVolumes();
        } finally {
            berth.cleanUp();
            berth.run("system", "reset", "-f"); // the image store's bind mount of its overlay home goes too
        }
    }

    private void imageVolumes() throws Exception {
        Path root = tmp.resolve("imgroot");
        new ProcessBuilder("cp", "-a", rootfs, root.toString()).inheritIO().start().waitFor();
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/seed"), "from the image\n");
        Path tar = tmp.resolve("img.tar");
        assertEquals(0, new ProcessBuilder("tar", "-C", root.toString(), "-cf", tar.toString(), ".").inheritIO().start().waitFor());
        berth.run("import", "-q", "-c", "VOLUME /data", "-c", "VOLUME /cache/", tar.toString(), "localhost/vols:1").ok();

        assertEquals("from the image", berth.run("run", "--rm", "localhost/vols:1", "cat", "/data/seed").ok().line());
        assertEquals("", berth.run("volume", "ls", "-q").ok().out(), "run --rm took its anonymous volumes along");

        String id = berth.run("create", "--name", "keeper", "localhost/vols:1", "sh", "-c", "echo more > /data/more").ok().line();
        assertEquals(2, berth.run("volume", "ls", "-q").ok().out().lines().count(), "one volume for /data, one for /cache");
        String mounts = berth.run("inspect", "--format", "{{range .Mounts}}{{.Destination}} {{.Type}}\n{{end}}", "keeper").ok().out();
        assertTrue(mounts.contains("/data volume") && mounts.contains("/cache volume"), mounts);
        assertEquals(0, berth.run("start", "-a", "keeper").exitCode());
        String vol = berth.run("volume", "ls", "-q").ok().out().lines()
                .filter(v -> Files.exists(berth.root().resolve("volumes").resolve(v).resolve("_data/seed"))).findFirst().orElseThrow();
        assertEquals("more\n", Files.readString(berth.root().resolve("volumes").resolve(vol).resolve("_data/more")), "the container wrote to the volume");
        berth.run("rm", "-v", id).ok();
        assertEquals("", berth.run("volume", "ls", "-q").ok().out(), "rm -v removes them");

        // a named volume at the path takes the place of the anonymous one
        berth.run("run", "--rm", "-v", "named:/data", "localhost/vols:1", "true").ok();
        assertEquals("named", berth.run("volume", "ls", "-q").ok().out().strip(), "only the named volume, and /cache's went with --rm");
        berth.run("volume", "rm", "named").ok();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "sqlite", "boltdb"})
    void createListInspectRemove(String backend) {
        open(backend);
        assertEquals("", berth.run("volume", "ls", "--noheading").ok().out(), "no volumes yet");
        assertEquals("myvol", berth.run("volume", "create", "--label", "team=web", "myvol").ok().line());
        assertEquals("other", berth.run("volume", "create", "other").ok().line());
        Berth.Result dup = berth.run("volume", "create", "myvol");
        assertEquals(125, dup.exitCode());
        assertEquals("Error: volume with name myvol already exists: volume already exists", dup.err().strip());
        assertEquals("DRIVER      VOLUME NAME\nlocal       myvol\nlocal       other\n", berth.run("volume", "ls").ok().out());
        assertEquals("myvol", berth.run("volume", "ls", "-q", "--filter", "label=team=web").ok().line());
        assertEquals("other", berth.run("volume", "ls", "-q", "--filter", "name=oth").ok().line());
        assertEquals("myvol local", berth.run("volume", "ls", "--filter", "label=team", "--format", "{{.Name}} {{.Driver}}").ok().line());
        Berth.Result badFilter = berth.run("volume", "ls", "--filter", "color=red");
        assertEquals(125, badFilter.exitCode());
        assertTrue(badFilter.err().contains("\"color\" is an invalid volume filter"), badFilter.err());
        Path mountpoint = berth.root().resolve("volumes/myvol/_data");
        assertEquals(mountpoint.toString(), berth.run("volume", "inspect", "--format", "{{.Mountpoint}}", "myvol").ok().line());
        String json = berth.run("volume", "inspect", "myvol").ok().out();
        assertTrue(json.contains("\"Name\": \"myvol\"") && json.contains("\"team\": \"web\"") && json.contains("\"Scope\": \"local\""), json);
        assertTrue(Files.isDirectory(mountpoint));
        assertEquals(0, berth.run("volume", "exists", "myvol").exitCode());
        assertEquals(1, berth.run("volume", "exists", "nosuch").exitCode());
        Berth.Result missing = berth.run("volume", "inspect", "nosuch");
        assertEquals(125, missing.exitCode());
        assertEquals("Error: no such volume nosuch", missing.err().strip());
        Berth.Result rmMissing = berth.run("volume", "rm", "bogus");
        assertEquals(1, rmMissing.exitCode());
        assertEquals("Error: no volume with name \"bogus\" found: no such volume", rmMissing.err().strip());
        assertEquals("myvol", berth.run("volume", "rm", "myvol").ok().line());
        assertFalse(Files.exists(mountpoint.getParent()), "rm removes the volume's directory");
        assertEquals("other", berth.run("volume", "rm", "-a").ok().line());
        assertEquals("", berth.run("volume", "ls", "-q").ok().out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "sqlite", "boltdb"})
    void sharedVolumePersistsAndIsRefusedWhileInUse(String backend) {
        open(backend);
        // -v with a name creates the volume
        sh(List.of("-v", "shared:/data"), "echo hello > /data/greeting").ok();
        assertEquals("shared", berth.run("volume", "ls", "-q").ok().line(), "run -v NAME created the volume and kept it");
        assertEquals("hello", sh(List.of("-v", "shared:/in:ro"), "cat /in/greeting").ok().line(), "data persists across containers");
        Berth.Result ro = sh(List.of("-v", "shared:/in:ro"), "touch /in/x");
        assertEquals(1, ro.exitCode());
        assertTrue(ro.out().contains("Read-only file system") || ro.err().contains("Read-only file system"), ro.toString());

        // two containers share one volume at once
        String writer = berth.run("run", "-d", "--name", "writer", "-v", "shared:/data", "--rootfs", rootfs, "sh", "-c",
                "echo from-writer > /data/w; sleep 600").ok().line();
        assertTrue(Berth.eventually(10000, () -> Files.exists(berth.root().resolve("volumes/shared/_data/w"))));
        assertEquals("from-writer", sh(List.of("--volumes-from", "writer:ro"), "cat /data/w").ok().line());
        assertEquals("from-writer", sh(List.of("--mount", "type=volume,source=shared,target=/m,ro"), "cat /m/w").ok().line());

        Berth.Result busy = berth.run("volume", "rm", "shared");
        assertEquals(2, busy.exitCode(), busy.toString());
        assertEquals("Error: volume shared is being used by the following container(s): " + writer + ": volume is being used",
                busy.err().strip());
        assertEquals("shared", berth.run("volume", "ls", "-q").ok().line(), "a refused rm changes nothing");
        assertEquals("", berth.run("volume", "prune", "-f").ok().out(), "prune leaves a volume in use");
        assertEquals("shared", berth.run("volume", "rm", "-f", "-t", "0", "shared").ok().line());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out(), "rm -f removed the container using the volume");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "sqlite", "boltdb"})
    void anonymousVolumesGoWithRunRmAndRmV(String backend) {
        open(backend);
        sh(List.of("-v", "/scratch"), "echo x > /scratch/f").ok();
        assertEquals("", berth.run("volume", "ls", "-q").ok().out(), "run --rm removed its anonymous volume");
        berth.run("create", "--name", "keep", "-v", "/scratch", "--mount", "type=volume,target=/other", "--rootfs", rootfs, "true").ok();
        List<String> anon = berth.run("volume", "ls", "-q").ok().out().lines().toList();
        assertEquals(2, anon.size(), anon.toString());
        assertEquals(64, anon.get(0).length(), "anonymous volumes have 64-hex names");
        berth.run("rm", "keep").ok();
        assertEquals(2, berth.run("volume", "ls", "-q").ok().out().lines().count(), "rm without -v keeps them");
        assertEquals(anon, berth.run("volume", "prune", "-f").ok().out().lines().sorted().toList());
        berth.run("create", "--name", "gone", "-v", "/scratch", "--rootfs", rootfs, "true").ok();
        berth.run("rm", "-v", "gone").ok();
        assertEquals("", berth.run("volume", "ls", "-q").ok().out(), "rm -v removed the anonymous volume");
    }

    @Test
    void copyUpFillsANewVolumeOnce() {
        open("file");
        // the rootfs's /etc, copied into the new, empty volume at the first mount
        assertTrue(sh(List.of("-v", "etcvol:/etc"), "cat /etc/passwd").ok().out().contains("root:"));
        Path data = berth.root().resolve("volumes/etcvol/_data");
        assertTrue(Files.exists(data.resolve("passwd")), "copy-up wrote the rootfs's /etc into the volume");
        sh(List.of("-v", "etcvol:/etc"), "rm /etc/passwd").ok();
        Berth.Result again = sh(List.of("-v", "etcvol:/etc"), "test -e /etc/passwd && echo present || echo absent");
        assertEquals("absent", again.ok().line(), "copy-up happens once, not at every mount");
        // :U gives the volume to the container's user
        assertEquals("65534:65534", berth.run("run", "--rm", "-u", "nobody", "-v", "owned:/o:U", "--rootfs", rootfs,
                "stat", "-c", "%u:%g", "/o").ok().line());
        // nocopy leaves a new volume empty
        assertEquals("0", sh(List.of("-v", "empty:/etc:nocopy"), "ls -A /etc | wc -l").ok().line().strip());
    }

    @Test
    void tmpfsAndBindVolumes() throws Exception {
        open("sqlite");
        assertEquals("tv", berth.run("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m", "tv").ok().line());
        assertEquals("tmpfs", sh(List.of("-v", "tv:/t"), "stat -f -c %T /t").ok().line());
        assertTrue(sh(List.of("-v", "tv:/t"), "df -k /t | tail -1").ok().line().contains("2048"));
        Berth.Result bogus = berth.run("volume", "create", "-o", "type=bind", "-o", "device=/bogus", "bv");
        assertEquals(125, bogus.exitCode());
        assertTrue(bogus.err().startsWith("Error: invalid volume option device for driver 'local': stat /bogus: no such file or directory"),
                bogus.err());
        Path host = Files.createDirectories(tmp.resolve("hostdir"));
        Files.writeString(host.resolve("from-host"), "host data\n");
        berth.run("volume", "create", "-o", "type=none", "-o", "device=" + host, "-o", "o=bind", "bv").ok();
        assertEquals("host data", sh(List.of("-v", "bv:/b"), "cat /b/from-host; echo more > /b/from-ctr").ok().out().lines().findFirst().orElse(""));
        assertEquals("more\n", Files.readString(host.resolve("from-ctr")), "the container wrote through to the host directory");
        String mp = berth.run("volume", "mount", "bv").ok().line();
        assertTrue(Files.exists(Path.of(mp, "from-host")), "volume mount shows the bound directory at " + mp);
        berth.run("volume", "unmount", "bv").ok();
        assertFalse(Files.exists(Path.of(mp, "from-host")), "unmount takes the bind away");
        berth.run("volume", "rm", "bv", "tv").ok();
        assertTrue(Files.exists(host.resolve("from-host")), "removing a bind volume leaves the host's files");
        // nor does system reset delete them through a volume left mounted
        berth.run("volume", "create", "-o", "type=none", "-o", "device=" + host, "-o", "o=bind", "bv2").ok();
        berth.run("volume", "mount", "bv2").ok();
        berth.run("system", "reset", "-f").ok();
        assertTrue(Files.exists(host.resolve("from-host")), "system reset unmounts volumes before it deletes the root");
    }

    @Test
    void importExportRoundTrip() throws Exception {
        open("boltdb");
        berth.run("volume", "create", "src").ok();
        sh(List.of("-v", "src:/d"), "mkdir -p /d/sub && echo payload > /d/sub/file && ln -s sub/file /d/link && chmod 640 /d/sub/file").ok();
        Path tar = tmp.resolve("vol.tar");
        berth.run("volume", "export", "-o", tar.toString(), "src").ok();
        assertTrue(Files.size(tar) > 1024);
        berth.run("volume", "create", "dst").ok();
        berth.run("volume", "import", "dst", tar.toString()).ok();
        assertEquals("payload\npayload\n-rw-r-----", sh(List.of("-v", "dst:/d"),
                "cat /d/sub/file; cat /d/link; ls -l /d/sub/file | cut -c1-10").ok().out().strip());
        // and the tar is a real tar: GNU tar lists it
        Berth.Result none = berth.run("volume", "export", "nosuch");
        assertEquals(125, none.exitCode());
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), listing);
        assertTrue(listing.contains("sub/file") && listing.contains("link"), listing);
        // from standard input
        berth.run("volume", "create", "fromstdin").ok();
        berth.runWithInput(Files.readAllBytes(tar), 60, "volume", "import", "fromstdin", "-").ok();
        assertEquals("payload", sh(List.of("-v", "fromstdin:/d"), "cat /d/sub/file").ok().line());
    }

    @Test
    void badMountsAreRefusedAndChangeNothing() {
        open("file");
        Berth.Result dup = sh(List.of("-v", "a:/x", "-v", "b:/x"), "true");
        assertEquals(125, dup.exitCode());
        assertEquals("Error: /x: duplicate mount destination", dup.err().strip());
        Berth.Result badType = sh(List.of("--mount", "type=foo,target=/x"), "true");
        assertEquals(125, badType.exitCode());
        assertTrue(badType.err().contains("invalid filesystem type \"foo\""), badType.err());
        Berth.Result badOpt = sh(List.of("-v", "a:/x:bogus"), "true");
        assertEquals(125, badOpt.exitCode());
        assertEquals("Error: unknown mount option \"bogus\": invalid mount option", badOpt.err().strip());
        assertEquals("", berth.run("volume", "ls", "-q").ok().out(), "no volume was created by a refused run");
        assertEquals("", berth.run("ps", "-a", "-q").ok().out());
    }

    @Test
    void migrateStateCopiesVolumes() throws java.io.IOException {
        open("file");
        // migrate-state switches the configuration file: a file of the test's own, never /etc/berth's
        Path conf = tmp.resolve("containers.conf");
        java.nio.file.Files.writeString(conf, "[engine]\ndatabase_backend = \"file\"\n");
        berth = new Berth(tmp).global("--config", conf.toString());
        berth.run("volume", "create", "--label", "k=v", "kept").ok();
        sh(List.of("-v", "kept:/d"), "echo data > /d/f").ok();
        berth.run("system", "migrate-state", "--to", "sqlite").ok();
        assertTrue(java.nio.file.Files.readString(conf).contains("database_backend = \"sqlite\""));
        Berth after = new Berth(tmp).global("--config", conf.toString());
        assertEquals("kept", after.run("volume", "ls", "-q", "--filter", "label=k=v").ok().line());
        assertEquals("data", after.run("run", "--rm", "-v", "kept:/d", "--rootfs", rootfs, "cat", "/d/f").ok().line());
    }
}
