package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that {@link ConfigLoaderFuzzTest} once found failing, checked as plain JUnit regressions. */
class ConfigLoaderCorpusTest {
    @TempDir
    Path tmp;

    private void invalid(String toml, String key) throws IOException {
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, toml);
        BerthException e = assertThrows(BerthException.class,
                () -> ConfigLoader.load(new ConfigOverrides(conf.toString(), null, null, null, null, null, null), Map.of()), toml);
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains(conf.toString()) && e.getMessage().contains(key), e.getMessage());
    }

    /** A NUL in a path escaped as InvalidPathException ("Nul character not allowed"). */
    @Test
    void aNulInAPathIsAConfigError() throws IOException {
        for (List<String> c : List.of(
                List.of("[storage]\nroot = \"/var/\\u0000lib\"\n", "[storage] root"),
                List.of("[storage]\nrunroot = \"\\u0000\"\n", "[storage] runroot"),
                List.of("[engine]\nstatic_dir = \"/a\\u0000\"\n", "[engine] static_dir"),
                List.of("[engine]\ntmp_dir = \"/a\\u0000\"\n", "[engine] tmp_dir"),
                List.of("[engine]\nplugin_dirs = [\"/a\\u0000\"]\n", "[engine] plugin_dirs"),
                List.of("[engine]\nhooks_dir = [\"/a\\u0000\"]\n", "[engine] hooks_dir"),
                List.of("[engine]\nconmon_path = \"/a\\u0000\"\n", "[engine] conmon_path"),
                List.of("[engine.runtimes]\ncrun = [\"/usr/bin/crun\\u0000\"]\n", "[engine.runtimes] crun"),
                List.of("[network]\nnetwork_config_dir = \"/\\u0000\"\n", "[network] network_config_dir"),
                List.of("[network]\ncni_plugin_dirs = [\"/\\u0000\"]\n", "[network] cni_plugin_dirs"))) {
            invalid(c.get(0), c.get(1));
        }
    }

    /** A flag's bad path is named as the flag, not as a key of the file. */
    @Test
    void aNulInARootFlagIsNamed() throws IOException {
        Path conf = tmp.resolve("empty.conf");
        Files.writeString(conf, "");
        BerthException e = assertThrows(BerthException.class,
                () -> ConfigLoader.load(new ConfigOverrides(conf.toString(), "/x\u0000", null, null, null, null, null), Map.of()));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().contains("--root"), e.getMessage());
    }
}
