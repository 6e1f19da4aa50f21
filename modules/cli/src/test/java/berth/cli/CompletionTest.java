package berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated scripts run in real shells. Container and network names come from a stand-in berth
 * (BERTH_COMPLETION_COMMAND) that records the arguments it was called with and prints names by
 * status; the distribution's CompletionIT does the same against the real berth and real containers.
 */
class CompletionTest {
    @TempDir
    Path tmp;
    Path fake;
    Path calls;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(tmp.resolve("berth.bash"), Completion.script("bash"));
        Files.writeString(tmp.resolve("berth.zsh"), Completion.script("zsh"));
        Files.writeString(tmp.resolve("berth.fish"), Completion.script("fish"));
        calls = tmp.resolve("calls");
        fake = tmp.resolve("fake-berth");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$*" >> '%s'
                case "$*" in
                *"__complete containers running") echo web; echo db ;;
                *"__complete containers paused") echo frozen ;;
                *"__complete containers") echo web; echo db; echo frozen; echo old ;;
                *"__complete networks") echo berth; echo mynet ;;
                *) echo "unexpected: $*" >&2; exit 125 ;;
                esac
                """.formatted(calls));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** COMPREPLY of _berth for these words, the last being the one completed (bash splits at '=' as bash does). */
    List<String> bash(String... words) throws Exception {
        StringBuilder driver = new StringBuilder("source berth.bash\nCOMP_WORDS=(");
        for (String w : words) {
            driver.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        driver.append(" )\nCOMP_CWORD=").append(words.length - 1).append("\n_berth\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
        Files.writeString(tmp.resolve("driver.bash"), driver);
        Shell.Result r = Shell.run(tmp, Map.of("BERTH_COMPLETION_COMMAND", fake.toString()), "bash", "driver.bash");
        assertEquals("", r.err(), "bash printed errors");
        assertEquals(0, r.code());
        return r.out().isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(r.out().split("\n")));
    }

    List<String> fish(String line) throws Exception {
        Shell.Result r = Shell.run(tmp, Map.of("BERTH_COMPLETION_COMMAND", fake.toString()), "fish", "--no-config", "-c",
                "source berth.fish; complete -C '" + line + "'");
        assertEquals("", r.err(), "fish printed errors");
        List<String> l = new ArrayList<>();
        for (String s : r.out().split("\n")) {
            if (!s.isEmpty()) {
                l.add(s.split("\t")[0]);
            }
        }
        return l;
    }

    @Test
    void bashCompletesCommandsSubcommandsAndFlags() throws Exception {
        assertEquals(List.of("run"), bash("berth", "ru"));
        assertEquals(List.of("create", "connect"), bash("berth", "network", "c"));
        assertEquals(List.of("disconnect"), bash("berth", "network", "d"));
        assertEquals(List.of("cleanup"), bash("berth", "container", "cl"));
        assertEquals(List.of("migrate-state"), bash("berth", "system", "m"));
        assertTrue(bash("berth", "run", "--ne").contains("--network"));
        assertEquals(List.of("--tty"), bash("berth", "run", "--tt"));
        assertEquals(List.of("--root", "--runroot", "--runtime"), bash("berth", "--r"));
        assertEquals(List.of("--runroot"), bash("berth", "--root", "/x", "--runr"));
        assertTrue(bash("berth", "").containsAll(List.of("run", "ps", "network", "completion")));
        assertFalse(bash("berth", "").contains("generate-man-pages"), "a hidden command is completed");
        assertFalse(bash("berth", "").contains(Completion.HELPER), "a hidden command is completed");
        assertEquals(List.of("bash", "zsh", "fish"), bash("berth", "completion", ""));
        assertEquals(List.of("sqlite"), bash("berth", "--db-backend", "s"));
        assertEquals(List.of("on-failure"), bash("berth", "run", "-it", "--restart", "on"));
        assertEquals(List.of(), Files.exists(calls) ? Files.readAllLines(calls) : List.of(), "berth was called for static words");
    }

    @Test
    void bashCompletesContainerNamesFromBerthWithTheGlobalFlagsTyped() throws Exception {
        assertEquals(List.of("web", "db", "frozen", "old"), bash("berth", "--root", "/r", "--runroot", "/rr", "--db-backend",
                "sqlite", "--config", "/c.conf", "rm", "-f", ""));
        assertEquals("--root /r --runroot /rr --db-backend sqlite --config /c.conf __complete containers",
                Files.readAllLines(calls).get(0));
        assertEquals(List.of("web"), bash("berth", "--root", "=", "/r2", "start", "w"), "bash splits --root=/r2 at '='");
        assertEquals("--root=/r2 __complete containers", Files.readAllLines(calls).get(1));
        assertEquals(List.of("web", "db"), bash("berth", "stop", "-t", "5", ""), "stop offers running containers");
        assertEquals(List.of("frozen"), bash("berth", "unpause", ""));
        assertEquals(List.of("db"), bash("berth", "container", "inspect", "d"));
        assertEquals(List.of("web", "db"), bash("berth", "exec", "-it", ""));
        assertEquals(List.of(), bash("berth", "exec", "-it", "web", ""), "exec's command is the container's");
        assertEquals(List.of("web", "db", "frozen", "old"), bash("berth", "logs", "web", ""), "logs takes several containers, as podman's");
        assertEquals(List.of(), bash("berth", "port", "web", ""), "port takes one container");
        assertEquals(List.of("web", "db"), bash("berth", "kill", "-s", "KILL", "web", ""), "kill takes several running ones");
        assertEquals(List.of("web", "db", "frozen", "old"), bash("berth", "rm", "web", ""), "rm takes several");
        assertEquals(List.of("mynet"), bash("berth", "network", "rm", "m"));
        assertEquals(List.of("berth", "mynet", "none", "host", "bridge", "slirp4netns", "pasta"), bash("berth", "run", "--network", ""));
        assertEquals(List.of("mynet"), bash("berth", "run", "--network", "=", "m"));
        assertEquals(List.of("old"), bash("berth", "create", "--requires", "o"));
    }

    @Test
    void bashIsQuietWhenBerthFails() throws Exception {
        Files.writeString(fake, "#!/bin/sh\necho 'Error: no such storage' >&2\nexit 125\n");
        assertEquals(List.of(), bash("berth", "start", ""));
    }

    @Test
    void zshAndFishScriptsParse() throws Exception {
        Shell.Result z = Shell.run(tmp, Map.of(), "zsh", "-n", "berth.zsh");
        assertEquals(0, z.code(), z.err());
        assertEquals("", z.err());
        Shell.Result f = Shell.run(tmp, Map.of(), "fish", "--no-execute", "berth.fish");
        assertEquals(0, f.code(), f.err());
        assertEquals("", f.err());
    }

    @Test
    void zshScriptLoadsAndRegisters() throws Exception {
        Shell.Result z = Shell.run(tmp, Map.of(), "zsh", "-f", "-c",
                "autoload -U compinit && compinit -u -D && source ./berth.zsh && print -r -- $_comps[berth]"
                        + " && __berth_spec 'network create' && print -r -- $flags"
                        + " && typeset -a globals && __berth_walk berth --root=/r stop -t 5 '' && print -r -- \"$kinds|$globals\""
                        + " && __berth_walk berth run -it --network=n && print -r -- \"$kinds|$cur\""
                        + " && __berth_walk berth network c && print -r -- \"$kinds|$cur\"");
        assertEquals("", z.err());
        assertEquals("_berth\n--subnet --gateway -h --help\n@running|--root=/r\n@networks none host bridge slirp4netns pasta|n\n"
                + "create ls inspect rm prune connect disconnect|c\n", z.out());
    }

    @Test
    void fishCompletes() throws Exception {
        assertTrue(fish("berth ru").contains("run"));
        assertEquals(List.of("connect", "create"), fish("berth network c"));
        assertTrue(fish("berth run --ne").contains("--network"));
        assertEquals(new TreeSet<>(List.of("web", "db")), new TreeSet<>(fish("berth --root /r stop ")));
        assertTrue(Files.readAllLines(calls).contains("--root /r __complete containers running"), Files.readString(calls));
        assertEquals(List.of("mynet"), fish("berth network inspect m"));
    }

    // ------------------------------------------------------------------ drift

    /** The commands, subcommands and flags the bash script knows, asked from bash, equal the model's. */
    @Test
    void completionEqualsTheCommandModel() throws Exception {
        StringBuilder expected = new StringBuilder();
        StringBuilder driver = new StringBuilder("source berth.bash\necho \"commands: $__berth_commands\"\n"
                + "echo \"global: $__berth_gflags | $__berth_gvflags\"\n");
        Set<String> visible = new LinkedHashSet<>();
        for (Cmd c : Commands.all()) {
            if (!c.hidden()) {
                visible.add(c.name());
            }
        }
        expected.append("commands: ").append(String.join(" ", visible)).append('\n');
        expected.append("global: ").append(flags(Main.GLOBAL, false)).append(" | ").append(flags(Main.GLOBAL, true)).append('\n');
        List<String> paths = new ArrayList<>();
        for (Cmd c : Commands.all()) {
            if (c.hidden()) {
                continue;
            }
            paths.add(c.name());
            List<Cmd> group = Commands.group(c.name());
            if (group != null) {
                for (Cmd s : group) {
                    paths.add(c.name() + " " + s.name());
                }
            }
        }
        for (String p : paths) {
            Cmd c = lookup(p);
            driver.append("__berth_spec '").append(p).append("' && echo \"").append(p).append(": $flags | $vflags | $subs\"\n");
            List<Cmd> group = Commands.group(p);
            String subs = group == null ? "" : String.join(" ", group.stream().map(Cmd::name).toList());
            expected.append(p).append(": ").append(flags(c.opts(), false)).append(" | ").append(flags(c.opts(), true))
                    .append(" | ").append(subs).append('\n');
        }
        driver.append("__berth_spec generate-man-pages || echo 'no hidden command'\n");
        expected.append("no hidden command\n");
        Files.writeString(tmp.resolve("drift.bash"), driver);
        Shell.Result r = Shell.run(tmp, Map.of(), "bash", "drift.bash");
        assertEquals(expected.toString(), r.out());
        // fish: every flag of every command, by its path
        String fish = Completion.script("fish");
        for (String p : paths) {
            for (Opt o : lookup(p).opts()) {
                for (String n : o.names()) {
                    String fishName = n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1);
                    assertTrue(fish.lines().anyMatch(l -> l.contains("__berth_at \"" + p + "\"") && l.contains(fishName + " ")),
                            "fish does not complete " + n + " of " + p);
                }
            }
        }
        Set<String> fishSubs = new TreeSet<>();
        fish.lines().filter(l -> l.startsWith("complete -c berth -n '__berth_at \"\"' -a ")).forEach(l -> fishSubs.add(l.split("'")[3]));
        assertEquals(new TreeSet<>(visible), fishSubs);
    }

    private static Cmd lookup(String path) {
        String[] p = path.split(" ");
        List<Cmd> table = p.length == 1 ? Commands.all() : Commands.group(p[0]);
        return table.stream().filter(c -> c.name().equals(p[p.length - 1])).findFirst().orElseThrow();
    }

    private static String flags(List<Opt> opts, boolean valuesOnly) {
        List<String> l = new ArrayList<>();
        for (Opt o : opts) {
            if (!valuesOnly || o.takesValue()) {
                l.addAll(o.names());
            }
        }
        return String.join(" ", l);
    }

    @Test
    void completionCommandWritesAFileAndHelpHidesHiddenCommands() throws Exception {
        Path f = tmp.resolve("out.bash");
        assertEquals(0, Commands.execute(null, List.of("completion", "-f", f.toString(), "bash"), "berth"));
        assertEquals(Completion.script("bash"), Files.readString(f));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Help.root(System.out);
        } finally {
            System.setOut(old);
        }
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("completion"), help);
        assertFalse(help.contains("generate-man-pages"), help);
        assertFalse(help.contains(Completion.HELPER), help);
    }

    /** The completion classes stay off the normal command path: `ps` does not load them. */
    @Test
    void otherCommandsDoNotLoadTheCompletionClasses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String mp = System.getProperty("jdk.module.path");
        assertTrue(mp != null && !mp.isEmpty(), "tests run on the module path");
        Shell.Result r = Shell.run(tmp, Map.of(), java, "-Xlog:class+load=info", "-p", mp, "-m", "berth.cli/berth.cli.Main",
                "--root", tmp.resolve("root").toString(), "--runroot", tmp.resolve("run").toString(), "ps", "-a");
        assertTrue(r.out().contains("berth.cli.Commands "), "no class-loading log:\n" + r.out() + r.err());
        assertFalse(r.out().contains("berth.cli.Completion"), r.out());
        assertFalse(r.out().contains("berth.cli.ManPages"), r.out());
        Shell.Result c = Shell.run(tmp, Map.of(), java, "-Xlog:class+load=info", "-p", mp, "-m", "berth.cli/berth.cli.Main",
                "completion", "bash");
        assertTrue(c.out().contains("berth.cli.Completion "), c.out());
    }
}
