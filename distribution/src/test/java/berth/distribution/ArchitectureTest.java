package berth.distribution;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules as tests, over the jars the distribution ships: the kernel knows no plugin,
 * plugins know the kernel (and the OCI support module) and nothing of each other, the CLI talks to
 * the engine only, the engine never names a plugin.
 */
class ArchitectureTest {
    static JavaClasses shipped;

    static final String[] PLUGINS = {"berth.state..", "berth.runtime..", "berth.network..", "berth.hooks..", "berth.image.overlay.."};

    @BeforeAll
    static void importShippedJars() throws Exception {
        try (Stream<Path> jars = Stream.concat(Files.list(Berth.HOME.resolve("lib")), Files.list(Berth.HOME.resolve("lib/api")))) {
            List<Path> berthJars = jars.filter(p -> p.getFileName().toString().startsWith("berth-")
                    && p.getFileName().toString().endsWith(".jar")).toList();
            assertFalse(berthJars.isEmpty(), "no berth jars in " + Berth.HOME.resolve("lib"));
            List<java.util.jar.JarFile> jarFiles = new java.util.ArrayList<>();
            for (Path p : berthJars) {
                jarFiles.add(new java.util.jar.JarFile(p.toFile()));
            }
            shipped = new ClassFileImporter().importJars(jarFiles);
        }
        assertTrue(shipped.size() > 50, "imported only " + shipped.size() + " classes");
    }

    static final ArchRule KERNEL_KNOWS_NO_OTHER_MODULE = noClasses().that().resideInAPackage("berth.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..", "berth.oci..", "berth.support..", "berth.bolt..",
                    "berth.state..", "berth.runtime..", "berth.network..", "berth.hooks..", "berth.image..")
            .as("the kernel depends on no other berth module");

    /** Trace is the one exception: BERTH_TRACE=1 asks for its lines on stderr. */
    static final ArchRule NO_PRINTING_IN_LIBRARIES = noClasses().that().resideOutsideOfPackages("berth.cli..", "berth.state.testkit..",
                    "berth.runtime.testkit..", "berth.network.testkit..")
            .and().doNotHaveFullyQualifiedName("berth.kernel.trace.Trace")
            .should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .orShould().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .as("no plugin, engine or kernel class writes to System.out or System.err, nor uses java.util.logging");

    static final ArchRule FACADE_USES_INTERNAL_SERVICES = noClasses().that().haveFullyQualifiedName("berth.engine.Engine")
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("berth.kernel.spi..")
                    .and(JavaClass.Predicates.INTERFACES))
            .orShould().dependOnClassesThat().resideInAnyPackage("berth.oci..", "berth.state..", "berth.runtime..",
                    "berth.network..", "berth.hooks..", "com.fasterxml..", "com.sun.jna..")
            .as("the Engine facade depends only on the engine's internal services (and the value types of its API), never on an SPI");

    @Test
    void kernelDependsOnNoOtherBerthModule() {
        KERNEL_KNOWS_NO_OTHER_MODULE.check(shipped);
    }

    @Test
    void pluginsDependOnTheKernelAndSupportOnly() {
        for (String plugin : PLUGINS) {
            String family = plugin.substring(0, plugin.length() - 2);
            noClasses().that().resideInAPackage(plugin)
                    .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..")
                    .as("plugins in " + family + " do not depend on the engine or the CLI")
                    .check(shipped);
        }
        // no plugin knows another: compare each plugin module's root package with every other
        SlicesRuleDefinition.slices().matching("berth.(state|runtime|network|hooks).(*)..")
                .should().notDependOnEachOther()
                .as("plugins know nothing of each other")
                .check(shipped);
    }

    @Test
    void ociSupportDependsOnTheKernelOnly() {
        noClasses().that().resideInAPackage("berth.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..", "berth.state..",
                        "berth.runtime..", "berth.network..", "berth.hooks..", "berth.image..")
                .as("the OCI support module is used by plugins and uses only the kernel and berth.support")
                .check(shipped);
    }

    @Test
    void imageSupportDependsOnTheKernelAndSupportOnly() {
        noClasses().that().resideInAPackage("berth.image.support..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..", "berth.oci..", "berth.state..",
                        "berth.runtime..", "berth.network..", "berth.hooks..", "berth.image.overlay..")
                .as("the image support module is used by image store plugins and uses only the kernel and berth.support")
                .check(shipped);
    }

    @Test
    void boltSupportDependsOnTheKernelOnly() {
        noClasses().that().resideInAPackage("berth.bolt..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..", "berth.oci..", "berth.support..",
                        "berth.state..", "berth.runtime..", "berth.network..", "berth.hooks..", "berth.image..")
                .as("berth.bolt.support (the bbolt file format) is shared by the boltdb state and netavark network plugins and uses"
                        + " only the kernel")
                .check(shipped);
    }

    @Test
    void theSharedSupportModuleUsesTheKernelOnly() {
        noClasses().that().resideInAPackage("berth.support..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.engine..", "berth.cli..", "berth.oci..", "berth.state..",
                        "berth.runtime..", "berth.network..", "berth.hooks..", "com.sun.jna..")
                .as("berth.support (locks, atomic files, subprocesses, trees, names) is shared by the engine and the plugins and uses only the kernel")
                .check(shipped);
    }

    @Test
    void engineNamesNoPlugin() {
        noClasses().that().resideInAPackage("berth.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.oci..", "berth.state..", "berth.runtime..",
                        "berth.network..", "berth.hooks..", "berth.image..")
                .as("the engine reaches plugins only through the kernel's SPIs")
                .check(shipped);
    }

    @Test
    void cliTalksToTheEngineNeverToAPlugin() {
        noClasses().that().resideInAPackage("berth.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.oci..", "berth.state..", "berth.runtime..",
                        "berth.network..", "berth.hooks..", "berth.image..")
                .orShould().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("berth.kernel.spi..")
                        .and(JavaClass.Predicates.INTERFACES))
                .as("the CLI talks to the engine, never to a plugin or an SPI interface (SPI value types are the engine's API too)")
                .check(shipped);
    }

    @Test
    void theDockerApiUsesTheEnginesPublicApiOnly() {
        noClasses().that().resideInAPackage("berth.api..")
                .should().dependOnClassesThat().resideInAnyPackage("berth.oci..", "berth.state..", "berth.runtime..",
                        "berth.network..", "berth.hooks..", "berth.image..", "berth.engine.internal..", "berth.cli..")
                .orShould().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("berth.kernel.spi..")
                        .and(JavaClass.Predicates.INTERFACES))
                .as("the Docker API module is a front end over the engine's public API, as the CLI is")
                .check(shipped);
        noClasses().that().resideInAnyPackage("berth.cli..", "berth.engine..", "berth.kernel..", "berth.support..")
                .or().resideInAnyPackage(PLUGINS)
                .should().dependOnClassesThat().resideInAPackage("berth.api..")
                .as("nothing depends on the Docker API; the CLI loads it in a layer of its own")
                .check(shipped);
    }

    @Test
    void theFacadeOnlyDelegatesToInternalServices() {
        FACADE_USES_INTERNAL_SERVICES.check(shipped);
    }

    @Test
    void noSpiTypeAppearsInTheEnginesPublicApi() {
        List<String> leaks = new java.util.ArrayList<>();
        for (JavaClass c : shipped) {
            if (!c.getPackageName().equals("berth.engine") || !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) {
                continue;
            }
            for (com.tngtech.archunit.core.domain.JavaCodeUnit m : c.getCodeUnits()) {
                if (!m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) {
                    continue;
                }
                List<JavaClass> types = new java.util.ArrayList<>(m.getRawParameterTypes());
                types.add(m.getRawReturnType());
                for (JavaClass t : types) {
                    if (t.getPackageName().startsWith("berth.kernel.spi")) {
                        leaks.add(m.getFullName() + " uses " + t.getName());
                    }
                }
            }
        }
        assertTrue(leaks.isEmpty(), "SPI types in the engine's public API: " + leaks);
    }

    @Test
    void librariesDoNotPrint() {
        NO_PRINTING_IN_LIBRARIES.check(shipped);
    }

    @Test
    void noPackageCycles() {
        SlicesRuleDefinition.slices().matching("berth.(*)..").should().beFreeOfCycles().as("no cycles between berth modules").check(shipped);
    }

    @Test
    void theRulesFailWhenBroken() {
        JavaClasses broken = new ClassFileImporter().importClasses(berth.kernel.archfixture.KernelClassThatUsesTheEngine.class);
        assertThrows(AssertionError.class, () -> KERNEL_KNOWS_NO_OTHER_MODULE.check(broken));
        assertThrows(AssertionError.class, () -> NO_PRINTING_IN_LIBRARIES.check(broken));
    }
}
