package berth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #3 through the CLI: plugin discovery, configuration, and bad input that changes nothing. */
class FoundationIT {
    @TempDir
    Path tmp;
    Berth berth;

    @BeforeEach
    void setUp() {
        berth = new Berth(tmp);
    }

    @AfterEach
    void tearDown() {
        berth.cleanUp();
    }

    @Test
    void infoListsThePluginsFoundThroughServiceLoader() {
        String info = berth.run("info").ok().out();
        for (String id : List.of("file", "boltdb", "crun", "runc", "runsc", "cni", "netavark", "slirp4netns", "oci-hooks")) {
            assertTrue(info.contains(" " + id + " "), "berth info does not list " + id + ":\n" + info);
        }
        assertTrue(info.contains("berth.state.file"), info);
        String json = berth.run("info", "--format", "json").ok().out();
        assertTrue(json.contains("\"stateBackend\": \"file\""), json);
        assertTrue(berth.run("version").ok().out().contains("Version:"));
        assertEquals(0, berth.run("run", "--help").exitCode());
    }

    /**
     * A vendor ships one jar with a new runtime: compiled here against the distribution's jars,
     * dropped into a plugin directory, found by the registry and used to run a container, with no
     * change to the kernel or the engine.
     */
    @Test
    void aVendorRuntimeJarIsFoundWithoutARebuild() throws Exception {
        Path src = tmp.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("com/example/fastrun"));
        Files.writeString(src.resolve("module-info.java"), """
                module com.example.fastrun {
                    requires berth.kernel;
                    requires berth.oci;
                    provides berth.kernel.spi.runtime.OciRuntimeProvider with com.example.fastrun.FastRunProvider;
                }
                """);
        Files.writeString(pkg.resolve("FastRunProvider.java"), """
                package com.example.fastrun;

                import berth.kernel.spi.runtime.*;
                import berth.oci.conmon.*;
                import java.util.EnumSet;
                import java.util.List;

                /** A vendor's runtime: their OCI-compatible binary (here crun under another name). */
                public final class FastRunProvider implements OciRuntimeProvider {
                    public String id() { return "fastrun"; }
                    public String description() { return "Example Corp fastrun"; }
                    public List<String> defaultPaths() { return List.of("/usr/bin/crun"); }
                    public OciRuntime create(RuntimeEnvironment env) {
                        return ConmonOciRuntime.create(new RuntimeFlavor("fastrun", List.of(), true, true,
                                EnumSet.of(RuntimeFeature.PAUSE, RuntimeFeature.EXEC, RuntimeFeature.JOIN_NETNS,
                                        RuntimeFeature.NEW_NETNS, RuntimeFeature.CLEANUP_COMMAND)), defaultPaths(), env);
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "--module-path", Berth.HOME.resolve("lib").toString(),
                "-d", classes.toString(), src.resolve("module-info.java").toString(), pkg.resolve("FastRunProvider.java").toString()));
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "the vendor plugin did not compile");
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        jar(classes, plugins.resolve("fastrun-1.0.jar"));

        berth.env("BERTH_PLUGIN_PATH", plugins.toString());
        String info = berth.run("info").ok().out();
        assertTrue(info.contains("fastrun") && info.contains("com.example.fastrun"), info);
        Berth.Result r = berth.run("run", "--rm", "--runtime", "fastrun", "--rootfs", Berth.rootfs().toString(), "echo", "vendor says hi");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("vendor says hi", r.line());
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }

    @Test
    void unknownBackendOrRuntimeListsTheKnownOnes() {
        Berth.Result db = berth.run("--db-backend", "nosuch", "ps", "-a");
        assertEquals(125, db.exitCode());
        assertTrue(db.err().contains("nosuch") && db.err().contains("file") && db.err().contains("boltdb"), db.err());
        Berth.Result rt = berth.run("--runtime", "nosuch", "run", "--rm", "--rootfs", Berth.rootfs().toString(), "true");
        assertEquals(125, rt.exitCode());
        assertTrue(rt.err().contains("nosuch") && rt.err().contains("crun"), rt.err());
    }

    @Test
    void malformedTomlNamesTheFileAndLine() throws IOException {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nruntime = \"crun\"\ndatabase_backend = = \"file\"\n");
        Berth.Result r = berth.run("--config", conf.toString(), "ps");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().contains(conf.toString()) && r.err().contains("line 3"), r.err());
        berth.env("BERTH_CONFIG", conf.toString());
        assertEquals(125, berth.run("ps").exitCode(), "BERTH_CONFIG is read too");
    }

    @Test
    void configurationSelectsRuntimeAndPaths() throws IOException {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nruntime = \"runc\"\n[engine.runtimes]\nrunc = [\"/nonexistent/runc\", \"/usr/bin/runc\"]\n");
        String id = berth.run("--config", conf.toString(), "create", "--rootfs", Berth.rootfs().toString(), "true").ok().line();
        assertEquals("runc", berth.run("--config", conf.toString(), "inspect", "-f", "{{.OCIRuntime}}", id).ok().line());
        Files.writeString(conf, "[engine]\nruntime = \"runc\"\n[engine.runtimes]\nrunc = [\"/nonexistent/runc\"]\n");
        Berth.Result r = berth.run("--config", conf.toString(), "create", "--rootfs", Berth.rootfs().toString(), "true");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().contains("/nonexistent/runc"), r.err());
    }

    @Test
    void anOutdatedConmonIsRefusedAndTheNextOneUsed() throws IOException {
        // the real conmon reports its version; this script only stands in for an old release's --version
        // output, to exercise seed 004's minimum-version check (it never runs a container)
        Path old = tmp.resolve("old-conmon");
        Files.writeString(old, "#!/bin/sh\necho 'conmon version 2.0.19'\necho 'commit: old'\n");
        old.toFile().setExecutable(true);
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[engine]\nconmon_path = [\"" + old + "\"]\n");
        String rootfs = Berth.rootfs().toString();
        // as seed 004: an outdated configured conmon is skipped with a warning and $PATH is the last resort
        Berth.Result ok = berth.run("--config", conf.toString(), "run", "--rm", "--network", "none", "--rootfs", rootfs, "echo", "hi");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("hi", ok.line());
        assertTrue(ok.err().contains("conmon at " + old + " invalid") && ok.err().contains("2.0.24"), ok.err());
        assertTrue(berth.run("--config", conf.toString(), "info").ok().out().contains("conmon: conmon version 2."), "info shows the conmon in use");
        // with no good conmon anywhere the command is refused, naming what it tried, and nothing is created
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("readlink"), Path.of("/usr/bin/readlink")); // all the launcher needs
        berth.env("PATH", bin.toString());
        Berth.Result r = berth.run("--config", conf.toString(), "run", "--rm", "--network", "none", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode(), r.err());
        assertTrue(r.err().contains(old.toString()) && r.err().contains("outdated") && r.err().contains("2.0.24"), r.err());
        assertEquals("", berth.run("ps", "-a", "-q").ok().out().strip(), "nothing was created");
    }

    @Test
    void aCorruptRecordIsNamedAndTheOthersStillLoad() throws IOException {
        String rootfs = Berth.rootfs().toString();
        String good = berth.run("create", "--name", "good", "--rootfs", rootfs, "true").ok().line();
        String bad = berth.run("create", "--name", "bad", "--rootfs", rootfs, "true").ok().line();
        Path record = berth.root().resolve("libpod/file-state/containers/" + bad + ".json");
        assertTrue(Files.exists(record), "record layout changed: " + record);
        Files.writeString(record, "{\"config\": {\"id\": \"" + bad + "\", trunc");
        Berth.Result ps = berth.run("ps", "-a", "--format", "{{.Names}}");
        assertEquals(0, ps.exitCode(), ps.err());
        assertEquals("good", ps.line());
        assertTrue(ps.err().contains(record.toString()) && ps.err().contains("corrupt"), ps.err());
        assertEquals(good.substring(0, 12), berth.run("ps", "-a", "-q").ok().line());
    }

    @Test
    void aDuplicateNameIsRefusedAndChangesNothing() {
        String rootfs = Berth.rootfs().toString();
        berth.run("create", "--name", "one", "--rootfs", rootfs, "true").ok();
        Berth.Result r = berth.run("create", "--name", "one", "--rootfs", rootfs, "true");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().contains("\"one\"") && r.err().contains("in use"), r.err());
        assertEquals(1, berth.run("ps", "-a", "-q").ok().out().lines().count());
        // run writes the bundle while it records the container: a refused record leaves no bundle behind
        Berth.Result run = berth.run("run", "--rm", "--name", "one", "--network", "none", "--rootfs", rootfs, "true");
        assertEquals(125, run.exitCode());
        assertTrue(run.err().contains("in use"), run.err());
        try (var dirs = Files.list(berth.root().resolve("containers"))) {
            assertEquals(0, dirs.count(), "no bundle: the created container has none before it starts, the refused one none at all");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
