package berth.lock.shm;

import java.nio.file.Path;

/** A child JVM that takes one lock of a segment and dies holding it (halt, no unlock): args SEGMENT NUM_LOCKS NUMBER. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) {
        ShmLockManager m = ShmLockManager.open(Path.of(args[0]), Integer.parseInt(args[1]));
        m.lock(Integer.parseInt(args[2]));
        System.out.println("held");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
