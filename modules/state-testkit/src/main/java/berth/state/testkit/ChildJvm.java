package berth.state.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM that sees the same plugins as the test JVM: the same {@code java} (from
 * {@code java.home}), the same module path ({@code jdk.module.path}, every module on it resolved, so
 * ServiceLoader finds the same providers) and class path ({@code java.class.path}). The main class
 * runs from its module when it is in a named one, else from the class path. Tuned for start-up time,
 * since a suite starts a few dozen of these on a 2-core machine.
 */
public final class ChildJvm {
    private final String mainClass;
    private final String mainModule;
    private final List<String> jvmArgs = new ArrayList<>();

    private ChildJvm(String mainClass, String mainModule) {
        this.mainClass = mainClass;
        this.mainModule = mainModule;
    }

    /** A child running {@code main}'s main method, loaded as in this JVM (from its module or the class path). */
    public static ChildJvm of(Class<?> main) {
        Module m = main.getModule();
        return new ChildJvm(main.getName(), m.isNamed() ? m.getName() : null);
    }

    /** A child running a main class in a named module (say a test class patched into the module under test). */
    public static ChildJvm of(String module, String mainClass) {
        return new ChildJvm(mainClass, module);
    }

    /** Adds JVM options (before the main class). */
    public ChildJvm jvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /** Adds the given directory to a module of the child, as Surefire does with test classes. */
    public ChildJvm patchModule(String module, Path dir) {
        jvmArgs.add("--patch-module");
        jvmArgs.add(module + "=" + dir.toAbsolutePath());
        return this;
    }

    /** The full command line. */
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Start-up dominates a child's run time: C1 only, one GC thread, the CDS archive.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-Xmx128m");
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        String mp = System.getProperty("jdk.module.path", "");
        if (!mp.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(mp);
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
        }
        String cp = System.getProperty("java.class.path", "");
        if (!cp.isEmpty()) {
            cmd.add("--class-path");
            cmd.add(cp);
        }
        cmd.addAll(jvmArgs);
        if (mainModule != null) {
            cmd.add("--module");
            cmd.add(mainModule + "/" + mainClass);
        } else {
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child; its stdout is read line by line, its stderr kept for failure messages. */
    public WorkerProcess start(List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.directory(new File(System.getProperty("java.io.tmpdir")));
        return new WorkerProcess(pb.start(), String.join(" ", args));
    }

    public WorkerProcess start(String... args) throws IOException {
        return start(List.of(args));
    }
}
