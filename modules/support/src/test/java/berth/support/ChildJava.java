package berth.support;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM that sees this module's classes and test classes (class path mode). */
final class ChildJava {
    private ChildJava() {
    }

    static List<String> command(Class<?> main, String... args) {
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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, path));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
