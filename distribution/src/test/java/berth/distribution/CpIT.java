package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth cp} (issue #14 item 2) on real conmon and crun containers, running and stopped, from
 * a directory and from an image: both directions, tar streams, owners, volumes, podman's errors,
 * and links in the container that must never lead to the host's files.
 */
class CpIT {
    @TempDir
    Path tmp;
    Berth berth;
    Path rootfs;
    Path host;

    @BeforeEach
    void setUp() throws Exception {
        berth = new Berth(tmp).global("--config", Files.writeString(tmp.resolve("containers.conf"), "").toString());
        // a private copy: copies into a --rootfs container write into its directory
        rootfs = tmp.resolve("rootfs");
        exec("cp", "-a", Berth.rootfs().toString(), rootfs.toString());
        host = Files.createDirectories(tmp.resolve("host"));
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
        berth.run("system", "reset", "-f"); // volumes, images and the store's own mount
    }

    private String runDetached(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "none"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--rootfs", rootfs.toString(), "sleep", "300"));
        return berth.run(args.toArray(String[]::new)).ok().line();
    }

    private String sh(String ctr, String script) {
        return berth.run("exec", ctr, "sh", "-c", script).ok().out();
    }

    @Test
    void copiesBothWaysOnARunningContainer() throws Exception {
        runDetached("--name", "c1");
        Files.writeString(host.resolve("file.txt"), "from the host\n");
        Files.createDirectories(host.resolve("dir/sub"));
        Files.writeString(host.resolve("dir/sub/x"), "x\n");

        assertEquals("", berth.run("cp", host.resolve("file.txt").toString(), "c1:/tmp/").ok().out());
        assertEquals("from the host\n", sh("c1", "cat /tmp/file.txt"));
        berth.run("cp", host.resolve("file.txt").toString(), "c1:/tmp/renamed").ok();
        assertEquals("from the host\n", sh("c1", "cat /tmp/renamed"));
        berth.run("cp", host.resolve("dir").toString(), "c1:/tmp/newdir").ok(); // a new name: the directory becomes it
        assertEquals("x\n", sh("c1", "cat /tmp/newdir/sub/x"));
        berth.run("cp", host.resolve("dir").toString(), "c1:/tmp/newdir").ok(); // an existing one: copied into it
        assertEquals("x\n", sh("c1", "cat /tmp/newdir/dir/sub/x"));
        berth.run("cp", host.resolve("dir") + "/.", "c1:/tmp/content").ok();
        assertEquals("x\n", sh("c1", "cat /tmp/content/sub/x"));

        sh("c1", "mkdir -p /out/d && echo inside > /out/d/f && echo top > /out/top");
        berth.run("cp", "c1:/out/top", host.toString()).ok();
        assertEquals("top\n", Files.readString(host.resolve("top")));
        berth.run("cp", "c1:out/d", host.resolve("copied").toString()).ok(); // the leading slash is optional
        assertEquals("inside\n", Files.readString(host.resolve("copied/f")));
        berth.run("cp", "c1:/out/d/.", host.resolve("copied").toString()).ok();
        assertEquals("inside\n", Files.readString(host.resolve("copied/f")));
        assertFalse(Files.exists(host.resolve("copied/d")), "/. copies the content only");

        // no glob expansion: '*' is a file name like any other
        Berth.Result glob = berth.run("cp", "c1:/out/*", host.toString());
        assertEquals(125, glob.exitCode());
        assertEquals("Error: \"/out/*\" could not be found on container c1: no such file or directory", glob.err().strip());
    }

    @Test
    void streamsTarArchives() throws Exception {
        runDetached("--name", "c1");
        sh("c1", "mkdir -p /srv/site && echo page > /srv/site/index.html && ln -s index.html /srv/site/home");
        Berth.Result out = berth.run("cp", "c1:/srv/site", "-");
        assertEquals(0, out.exitCode(), out.err());
        // stdout carries bytes; Berth reads it as UTF-8, which a tar of ASCII names and text survives
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.out().getBytes(StandardCharsets.UTF_8)))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
        }
        assertEquals(List.of("site/", "site/home -> index.html", "site/index.html"), names);

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
            byte[] data = "streamed\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("in/streamed.txt");
            e.setSize(data.length);
            e.setUserId(4321);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        berth.runWithInput(tar.toByteArray(), 60, "cp", "-", "c1:/tmp").ok();
        assertEquals("streamed\n", sh("c1", "cat /tmp/in/streamed.txt"));
        assertEquals("0 0\n", sh("c1", "stat -c '%u %g' /tmp/in/streamed.txt"), "--archive (the default): the container's user");
        sh("c1", "mkdir /tmp/kept");
        berth.runWithInput(tar.toByteArray(), 60, "cp", "--archive=false", "-", "c1:/tmp/kept").ok();
        assertEquals("4321\n", sh("c1", "stat -c '%u' /tmp/kept/in/streamed.txt"), "--archive=false: the archive's owner");
        Berth.Result notDir = berth.runWithInput(tar.toByteArray(), 60, "cp", "-", "c1:/tmp/in/streamed.txt");
        assertEquals(125, notDir.exitCode());
        assertTrue(notDir.err().contains("destination must be a directory when copying from stdin"), notDir.err());
        Berth.Result notTar = berth.runWithInput("plain text, no tar".getBytes(StandardCharsets.UTF_8), 60, "cp", "-", "c1:/tmp");
        assertEquals(125, notTar.exitCode());
        assertTrue(notTar.err().contains("source must be a (compressed) tar archive when copying from stdin"), notTar.err());
    }

    @Test
    void ownersFollowTheArchiveFlag() throws Exception {
        runDetached("--name", "c1", "--user", "1000:1000");
        Path f = Files.writeString(host.resolve("owned"), "o\n");
        Files.setAttribute(f, "unix:uid", 4321);
        Files.setAttribute(f, "unix:gid", 4322);
        berth.run("cp", f.toString(), "c1:/tmp/default").ok();
        assertEquals("1000 1000\n", sh("c1", "stat -c '%u %g' /tmp/default"));
        berth.run("cp", "--archive=false", f.toString(), "c1:/tmp/kept").ok();
        assertEquals("4321 4322\n", sh("c1", "stat -c '%u %g' /tmp/kept"));
        // out of the container: the copy belongs to whoever ran it (root here)
        berth.run("cp", "c1:/tmp/kept", host.resolve("back").toString()).ok();
        assertEquals(0, Files.getAttribute(host.resolve("back"), "unix:uid"));
    }

    @Test
    void linksInTheContainerNeverReachTheHost() throws Exception {
        Path secret = Files.createDirectories(tmp.resolve("host-secret"));
        Files.writeString(secret.resolve("data"), "the host's\n");
        runDetached("--name", "c1");
        sh("c1", "echo mine > /etc/mine; ln -s / /escape; ln -s /etc /tmp/etclink; ln -s ../../../../../.. /tmp/up;"
                + " ln -s " + secret + " /hostlink; ln -s " + secret.resolve("data") + " /tmp/abs");

        // into the container through links: each lands inside the container's root
        Files.writeString(host.resolve("payload"), "payload\n");
        berth.run("cp", host.resolve("payload").toString(), "c1:/tmp/etclink/viaLink").ok();
        assertEquals("payload\n", sh("c1", "cat /etc/viaLink"));
        berth.run("cp", host.resolve("payload").toString(), "c1:/tmp/up" + secret + "/p1").exitCode();
        berth.run("cp", host.resolve("payload").toString(), "c1:/escape" + secret + "/p2").exitCode();
        berth.run("cp", host.resolve("payload").toString(), "c1:/hostlink/p3").exitCode();
        try (var s = Files.list(secret)) {
            assertEquals(List.of(secret.resolve("data")), s.toList(), "nothing written into the host's directory");
        }

        // out of the container: a link to a host path is resolved in the container, where it does not exist
        Berth.Result abs = berth.run("cp", "c1:/tmp/abs", host.resolve("abs").toString());
        assertEquals(125, abs.exitCode());
        assertTrue(abs.err().contains("could not be found on container c1"), abs.err());
        assertFalse(Files.exists(host.resolve("abs")));
        berth.run("cp", "c1:/tmp/etclink/mine", host.resolve("mine").toString()).ok();
        assertEquals("mine\n", Files.readString(host.resolve("mine")));
        // a link to a host directory leads nowhere in the container (podman: not found)
        assertEquals(125, berth.run("cp", "c1:/hostlink", host.resolve("link-copy").toString()).exitCode());
        // links inside a copied directory stay links, never followed on the host
        berth.run("cp", "c1:/tmp", host.resolve("tmpcopy").toString()).ok();
        assertEquals(secret.resolve("data"), Files.readSymbolicLink(host.resolve("tmpcopy/abs")));
        assertEquals("the host's\n", Files.readString(secret.resolve("data")));
    }

    @Test
    void stoppedContainerFromAnImageIsMountedForTheCopy() throws Exception {
        Path tar = tmp.resolve("rootfs.tar");
        exec("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
        berth.run("import", "-q", tar.toString(), "localhost/cp:1").ok();
        String id = berth.run("create", "--name", "img", "--network", "none", "localhost/cp:1", "cat", "/copied").ok().line();
        Files.writeString(host.resolve("copied"), "into a created container\n");
        berth.run("cp", host.resolve("copied").toString(), "img:/copied").ok();
        assertFalse(mounted(id), "the root filesystem is unmounted after the copy");
        berth.run("cp", "img:/copied", host.resolve("back").toString()).ok();
        assertEquals("into a created container\n", Files.readString(host.resolve("back")));
        assertEquals("into a created container", berth.run("start", "-a", "img").ok().line());
        // exited now: copying still works and leaves nothing mounted
        berth.run("cp", host.resolve("copied").toString(), "img:/copied2").ok();
        assertFalse(mounted(id));
        berth.run("rm", "img").ok();
    }

    @Test
    void copiesIntoAVolumeLandInTheVolume() throws Exception {
        runDetached("--name", "v1", "-v", "cpvol:/data");
        berth.run("stop", "-t", "0", "v1").ok();
        Files.writeString(host.resolve("f"), "in the volume\n");
        berth.run("cp", host.resolve("f").toString(), "v1:/data/f").ok();
        Path mountpoint = Path.of(berth.run("volume", "inspect", "--format", "{{.Mountpoint}}", "cpvol").ok().line());
        assertEquals("in the volume\n", Files.readString(mountpoint.resolve("f")));
        assertFalse(Files.exists(rootfs.resolve("data/f"), LinkOption.NOFOLLOW_LINKS), "not under the mount point in the root");
        berth.run("start", "v1").ok();
        assertEquals("in the volume\n", sh("v1", "cat /data/f"));
        berth.run("cp", host.resolve("f").toString(), "v1:/data/g").ok(); // running: through its mounts
        assertEquals("in the volume\n", Files.readString(mountpoint.resolve("g")));
    }

    @Test
    void badArgumentsGivePodmansErrors() {
        runDetached("--name", "c1");
        Berth.Result none = berth.run("cp", host.toString(), tmp.toString());
        assertEquals(125, none.exitCode());
        assertTrue(none.err().contains("you must specify one container"), none.err());
        Berth.Result noHost = berth.run("cp", tmp.resolve("nosuch").toString(), "c1:/tmp");
        assertEquals(125, noHost.exitCode());
        assertEquals("Error: \"" + tmp.resolve("nosuch") + "\" could not be found on the host: no such file or directory", noHost.err().strip());
        Berth.Result noCtr = berth.run("cp", host.toString(), "nosuch:/tmp");
        assertEquals(125, noCtr.exitCode());
        Berth.Result dirOnFile = berth.run("cp", host.toString(), "c1:/etc/passwd");
        assertEquals(125, dirOnFile.exitCode());
        assertTrue(dirOnFile.err().contains("destination must be a directory when copying a directory"), dirOnFile.err());
        Berth.Result noParent = berth.run("cp", host.toString(), "c1:/no/such/dir");
        assertEquals(125, noParent.exitCode());
        assertTrue(noParent.err().contains("\"/no/such/dir\" could not be found on container c1"), noParent.err());
    }

    private boolean mounted(String id) throws IOException {
        return Files.readString(Path.of("/proc/mounts")).contains(id) || Files.readString(Path.of("/proc/mounts")).contains(berth.root().toString() + "/overlay/");
    }

    private static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed");
        }
    }
}
