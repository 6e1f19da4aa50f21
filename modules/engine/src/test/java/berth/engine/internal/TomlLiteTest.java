package berth.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TomlLite against jackson's full TOML parser: the same values for what it reads, "unsupported" for the rest. */
class TomlLiteTest {
    private static final List<String> DOCS = List.of(
            "",
            "# only a comment\n\n",
            "[engine]\nevents_logger = \"file\"\nevents_logfile_path = \"/var/tmp/x/events.log\"\n",
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n",
            "[containers]\ndefault_ulimits = [\n  \"nofile=1:2\", # a comment\n  'nproc=3:4',\n]\nnetns=\"private\"\n",
            "top = 1\n[engine]\nruntime = \"crun\"  # trailing comment\nnum_locks = 2048\nfoo = -3\nbar = 1_000\nratio = 1.5\nexp = 2e3\nt = true\nf = false\n",
            "[engine.runtimes]\ncrun = [\"/usr/bin/crun\", \"/usr/local/bin/crun\"]\n[network]\ncni_plugin_dirs = [\"/usr/lib/cni\"]\n",
            "[engine]\nconmon_env_vars = [\"PATH=/usr/bin\"]\n\"quoted key\" = 'lit\\eral'\nesc = \"a\\\"b\\\\c\\td\\u00e9\\U0001F600\"\n",
            "a.b.c = 1\n[x]\ny.z = \"v\"\n[\"q.r\".s]\nt = {u = 1, v = [1, 2], w = {}}\n",
            "[engine]\r\nruntime = \"runc\"\r\n",
            "[storage]\ndriver = \"overlay\"\n[storage.options]\nmount_program = \"/usr/bin/fuse-overlayfs\"\n",
            "arr = [ [1, 2], [\"a\"] , ]\nempty = []\n");

    private static Object jackson(String doc) throws Exception {
        var tree = new TomlMapper().readTree(doc);
        return tree == null ? java.util.Map.of() : TomlFiles.plain(tree);
    }

    @Test
    void readsWhatJacksonReads() throws Exception {
        for (String doc : DOCS) {
            assertEquals(jackson(doc), TomlLite.parse(doc), doc);
        }
    }

    @Test
    void podmansPackagedFileReadsAlike() throws Exception {
        Path packaged = Path.of(PodmanConfFiles.PACKAGED);
        if (!Files.isRegularFile(packaged)) {
            fail(packaged + " is missing: install podman's containers-common (scripts/setup-host.sh)");
        }
        String doc = Files.readString(packaged);
        assertEquals(jackson(doc), TomlLite.parse(doc));
    }

    @Test
    void leavesTheRestToTheFullParser() {
        for (String doc : List.of("s = \"\"\"multi\nline\"\"\"\n", "[[servers]]\nname = \"a\"\n", "d = 1979-05-27\n", "h = 0xff\n",
                "[a]\nx = 1\n[a]\ny = 2\n", "k = \n", "k = \"open\n", "k = 1 2\n", "x = 1\nx = 2\n", "[a\n", "= 1\n", "k = [1, 2\n")) {
            assertThrows(TomlLite.Unsupported.class, () -> TomlLite.parse(doc), doc);
        }
    }

    /** Mutated documents: either unsupported, or what jackson reads; never a different value, never a crash. */
    @Test
    void mutationsNeverDisagree() throws Exception {
        Random r = new Random(14);
        String alphabet = "[]{}=,.\"'#\n \\atrue0123-_e+";
        int checked = 0;
        for (int n = 0; n < 3000; n++) {
            StringBuilder b = new StringBuilder(DOCS.get(2 + r.nextInt(DOCS.size() - 2)));
            for (int m = 0; m < 1 + r.nextInt(3); m++) {
                int at = r.nextInt(b.length() + 1);
                if (r.nextBoolean() && at < b.length()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String doc = b.toString();
            Object lite;
            try {
                lite = TomlLite.parse(doc);
            } catch (TomlLite.Unsupported e) {
                continue;
            }
            Object full;
            try {
                full = jackson(doc);
            } catch (Exception e) {
                fail("TomlLite read a document jackson refuses (" + e.getMessage() + "): [" + doc.replace("\n", "\\n") + "]");
                return;
            }
            assertEquals(full, lite, doc);
            checked++;
        }
        List<Integer> sanity = new ArrayList<>(List.of(checked));
        assertEquals(true, sanity.get(0) > 100, "too few mutations were read: " + checked);
    }
}
