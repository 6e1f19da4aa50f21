package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.engine.ConfigOverrides;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.testsupport.Fuzz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile containers.conf files for {@link ConfigLoader} (seeded JUnit loops on {@link berth.testsupport.Fuzz}): random bytes and random mutations
 * of a full, valid file. Each either loads or fails with a {@link BerthException} of
 * {@link ErrorCode#CONFIG_INVALID} naming the file — never another exception, never a hang.
 *
 * <p>CI runs a fixed seed and the tries below (a few seconds); {@code -Dberth.fuzz.factor=100} or
 * {@code -Dberth.fuzz.seed=random} run longer or elsewhere (see {@link Fuzz}). Files that ever failed
 * are kept in {@link ConfigLoaderCorpusTest}.
 */
class ConfigLoaderFuzzTest {
    static final String VALID = """
            # a containers.conf with every table berth reads
            [containers]
            netns = "private"

            [engine]
            runtime = "crun"
            database_backend = "sqlite"
            static_dir = "/var/lib/berth/libpod"
            tmp_dir = "/run/berth/libpod"
            conmon_path = ["/usr/bin/conmon", "/usr/libexec/podman/conmon"]
            hooks_dir = ["/usr/share/containers/oci/hooks.d"]
            plugin_dirs = []
            events_logger = "none"
            num_locks = 2048
            image_parallel_copies = 0.5
            detach_keys = 'ctrl-p,ctrl-q'

            [engine.runtimes]
            crun = ["/usr/bin/crun", "/usr/local/bin/crun"]
            runc = "/usr/bin/runc"

            [storage]
            root = "/var/lib/berth"
            runroot = "/run/berth"

            [network]
            default_network = "podman"
            network_config_dir = "/etc/berth/networks"
            cni_plugin_dirs = ["/usr/lib/cni"]
            default_subnet = "10.88.0.0/16"
            dns_servers = [ "1.1.1.1", "8.8.8.8" ]

            [state]
            fsync = true
            cache = 3
            """;

    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("berth-fuzz-conf");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Loads {@code content} as the --config file: the config, or the error after checking it. */
    static Object load(byte[] content) {
        Path file = dir.resolve("containers.conf");
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Fuzz.within(Duration.ofSeconds(10), () -> {
            try {
                return ConfigLoader.load(new ConfigOverrides(file.toString(), null, null, null, null, null, null), Map.of());
            } catch (BerthException e) {
                assertEquals(ErrorCode.CONFIG_INVALID, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()), "the error does not name the file: " + e.getMessage());
                return e;
            }
        });
    }

    @Test
    void theValidFileLoads() {
        assertTrue(!(load(VALID.getBytes(StandardCharsets.UTF_8)) instanceof BerthException));
    }

    @Test
    void randomBytes() {
        Fuzz.forAll(1000, g -> g.bytes(300), ConfigLoaderFuzzTest::load);
    }

    /** The valid file with a few pieces changed: TOML's own syntax, other types, odd strings and numbers. */
    @Test
    void mutatedValidFile() {
        String[] hostile = {"[", "]", "[[", "]]", "=", "\"", "'", "'''", "\"\"\"", "\n", "#", ",", ".", "{", "}", "\\",
            "\\u0000", "\\U0010FFFF", "\\uD800", "\u0000", "\uFEFF", "é", "1e999", "99999999999999999999999999",
            "0x7FFFFFFFFFFFFFFFFF", "0b102", "inf", "nan", "1979-05-27T07:32:00Z", "true", "[]", "{}", "[[engine]]",
            "[engine]", "engine.runtime", "a.b.c", " ", "\t", "\r", "-", "+", "_", "1_000", "\"/x\\u0000y\"", "root = 1",
            "netns = \"\\u0000\"", "default_network = []", "x = [1, [2, [3]]]"};
        Fuzz.forAll(2000, g -> g.mutate(VALID, g.intIn(1, 4), 8, hostile), doc -> load(doc.getBytes(StandardCharsets.UTF_8)));
    }

    /** Each value of the valid file replaced by another TOML value: every key meets every type. */
    @Test
    void everyKeyAnyValue() {
        String[] values = {"1", "-1", "1.5", "true", "[]", "[1, 2]", "[\"a\", 1]", "{}", "{ a = 1 }", "\"\"", "\"\\u0000\"",
            "\"a\\u0000b\"", "\"/\"", "\"\\n\"", "1979-05-27", "07:32:00", "inf", "nan", "[[]]", "[{ a = \"b\" }]"};
        Fuzz.forAll(1000, g -> {
            Random random = g.random();
            StringBuilder b = new StringBuilder();
            for (String line : VALID.split("\n", -1)) {
                int eq = line.indexOf(" = ");
                if (eq > 0 && random.nextInt(3) == 0) {
                    line = line.substring(0, eq) + " = " + values[random.nextInt(values.length)];
                }
                b.append(line).append('\n');
            }
            return b.toString();
        }, doc -> load(doc.getBytes(StandardCharsets.UTF_8)));
    }
}
