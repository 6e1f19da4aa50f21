package berth.hooks.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider is cheap to load: constructing it and asking its id loads neither RE2/J nor the hook reader. */
class CheapLoadTest {
    @TempDir
    Path tmp;

    @Test
    void constructingTheProviderLoadsNoRegexEngine() throws Exception {
        Path hookBin = Fixtures.script(tmp.resolve("bin"), "hook", "true");
        Path dir = tmp.resolve("hooks.d");
        Fixtures.writeHook(dir, "sh.json", Fixtures.hook(hookBin, Map.of("commands", List.of("^/bin/sh$")), "prestart"));

        List<String> path = new ArrayList<>();
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        path.add(base.resolve("target/test-classes").toString());
        path.add(base.resolve("target/classes").toString());
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                path.add(v);
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-verbose:class", "-cp", String.join(File.pathSeparator, path),
                CheapLoadMain.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);

        int constructed = out.indexOf("MARK-CONSTRUCTED");
        int selected = out.indexOf("MARK-SELECTED 1");
        assertTrue(constructed > 0 && selected > constructed, out);
        String before = out.substring(0, constructed);
        String after = out.substring(constructed, selected);
        assertTrue(before.contains("berth.hooks.oci.OciHooksProvider "), "verbose:class output is as expected");
        assertTrue(!before.contains("com.google.re2j"), "re2j loaded with the provider");
        assertTrue(!before.contains("berth.hooks.oci.HookCatalog"), "the hook reader loaded with the provider");
        assertTrue(after.contains("com.google.re2j.Pattern "), "re2j loads once hooks are selected");
    }
}
