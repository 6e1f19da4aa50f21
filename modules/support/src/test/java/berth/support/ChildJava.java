package berth.support;

import berth.kernel.error.BerthException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running a test main class, in class-path mode, with exactly the
 * three locations it needs: this module's test classes and classes, and the kernel's.
 */
final class ChildJava {
    private ChildJava() {
    }

    static List<String> command(Class<?> main, String... args) {
        String path = location(main) + File.pathSeparator + location(FileLocks.class) + File.pathSeparator
                + location(BerthException.class);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", path, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
