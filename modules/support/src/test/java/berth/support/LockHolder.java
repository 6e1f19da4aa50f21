package berth.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link FileLocksTest}. {@code hold FILE MARKER MILLIS}: takes the lock, prints
 * "locked", holds it MILLIS, writes MARKER, then releases it by exiting. {@code try FILE}: prints
 * "free" or "busy".
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("try")) {
            try (FileLocks.Held h = FileLocks.tryLock(file)) {
                System.out.println(h == null ? "busy" : "free");
            }
            return;
        }
        try (FileLocks.Held h = FileLocks.lock(file)) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[3]));
            Files.writeString(Path.of(args[2]), "released");
        }
    }
}
