package berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build-time training for the class archive: runs each line of a script as a berth command in one
 * JVM, so the archive holds the classes that berth's common commands load.
 */
final class Training {
    private Training() {
    }

    static int run(String script, String[] globalArgs) {
        List<String> global = new ArrayList<>();
        for (int i = 0; i + 1 < globalArgs.length; i += 2) {
            if (globalArgs[i].startsWith("--")) {
                global.add(globalArgs[i]);
                global.add(globalArgs[i + 1]);
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of(script))) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> a = new ArrayList<>(global);
                a.addAll(List.of(line.trim().split("\\s+")));
                int rc = Main.run(a.toArray(new String[0]));
                System.err.println("trained: berth " + line + " -> " + rc);
            }
        } catch (IOException e) {
            System.err.println("training script " + script + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
