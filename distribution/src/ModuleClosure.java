import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build-time helper of assemble.sh (run as a single-file program): prints the jar of every module
 * that the named root modules need through {@code requires}, transitively, found in the directory
 * given first ({@code jar PATH}), and the JDK modules those name ({@code jdk NAME}, for jlink: jdeps
 * sees only what classes use, and a descriptor's {@code requires} must resolve too). Unlike {@code java --limit-modules}, an automatic module (JNA, RE2/J) is taken only
 * when a module names it: resolving one automatic module would pull in every other. A root or a
 * required module that is missing is an error, unless the requirement is {@code static}.
 *
 * <p>Usage: {@code java ModuleClosure.java DIR ROOT...}
 */
public class ModuleClosure {
    public static void main(String[] args) {
        ModuleFinder finder = ModuleFinder.of(Path.of(args[0]));
        ModuleFinder system = ModuleFinder.ofSystem();
        Set<String> seen = new TreeSet<>();
        Set<String> jars = new TreeSet<>();
        Set<String> jdk = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (int i = 1; i < args.length; i++) {
            todo.add(args[i]);
        }
        boolean ok = true;
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) {
                continue;
            }
            ModuleReference ref = finder.find(name).orElse(null);
            if (ref == null) {
                if (system.find(name).isPresent()) {
                    jdk.add(name);
                } else {
                    System.err.println("ModuleClosure: module " + name + " not found in " + args[0]);
                    ok = false;
                }
                continue;
            }
            jars.add(Path.of(ref.location().orElseThrow()).toString());
            for (ModuleDescriptor.Requires r : ref.descriptor().requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    todo.add(r.name());
                }
            }
        }
        jars.forEach(j -> System.out.println("jar " + j));
        jdk.forEach(m -> System.out.println("jdk " + m));
        System.exit(ok ? 0 : 1);
    }
}
