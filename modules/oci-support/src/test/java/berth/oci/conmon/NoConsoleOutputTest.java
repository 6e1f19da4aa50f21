package berth.oci.conmon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module runs inside berth's commands, whose output is theirs: warnings go to RuntimeEnvironment.warnings(). */
class NoConsoleOutputTest {
    @Test
    void nothingInOciSupportWritesToStandardOutputOrError() {
        JavaClasses classes = new ClassFileImporter().importPath(Path.of("target/classes"));
        noClasses().should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("warnings go to RuntimeEnvironment.warnings(), errors to BerthException")
                .check(classes);
    }
}
