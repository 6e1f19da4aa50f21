package berth.state.bolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import berth.state.bolt.modcheck.ModulePathMain;
import berth.testsupport.GoBolt;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other tests run on the class path; this one checks the module descriptor, and runs the
 * plugin from the module path as berth's launcher does (ServiceLoader through {@code provides},
 * JNA's direct mapping through {@code opens}).
 */
class ModulePathTest {
    @TempDir
    Path tmp;

    private static Path classesDir() {
        return GoBolt.buildDir().resolve("classes");
    }

    @Test
    void theDescriptorProvidesTheBackendAndExportsNothing() {
        ModuleDescriptor d = ModuleFinder.of(classesDir()).find("berth.state.bolt").orElseThrow().descriptor();
        assertEquals(Set.of(), d.exports());
        assertEquals(1, d.provides().size());
        ModuleDescriptor.Provides p = d.provides().iterator().next();
        assertEquals("berth.kernel.spi.state.StateStoreProvider", p.service());
        assertEquals(List.of(BoltStateStoreProvider.class.getName()), p.providers());
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("berth.bolt.support")));
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("berth.support")));
        assertEquals(Set.of(), d.opens().stream().map(ModuleDescriptor.Opens::source).collect(Collectors.toSet()));
    }

    @Test
    void thePluginWorksFromTheModulePath() throws Exception {
        List<String> modulePath = new ArrayList<>();
        modulePath.add(classesDir().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = Path.of(e).getFileName().toString();
            // the kernel, berth.support and berth.bolt.support, as target/classes (reactor) or as jars, and JNA
            boolean reactorClasses = n.equals("classes") && (e.contains("/modules/kernel/") || e.contains("/modules/support/")
                    || e.contains("/modules/bolt-support/"));
            if (reactorClasses || n.startsWith("berth-kernel") || n.startsWith("berth-support") || n.startsWith("berth-bolt-support")
                    || n.startsWith("jna-")) {
                modulePath.add(e);
            }
        }
        assertEquals(5, modulePath.size(), "module path entries found on the class path: " + modulePath);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        GoBolt.Result r = GoBolt.run(List.of(java, "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "berth.state.bolt", "-cp", GoBolt.buildDir().resolve("test-classes").toString(),
                ModulePathMain.class.getName(), tmp.resolve("store").toString()), Map.of(), 120);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("MODULE berth.state.bolt", "LISTED 1 modular"), r.stdout(), r::toString);
    }
}
