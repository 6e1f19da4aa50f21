package berth.bolt.db;


import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: commits seeded random transactions to a database until it
 * is killed, printing {@code COMMITTED N} after transaction N has been committed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path f = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        Model m = new Model();
        try (BoltDb db = BoltDb.open(f, BoltDb.Options.readWrite())) {
            System.out.println("READY");
            System.out.flush();
            for (int t = 0; ; t++) {
                db.update(tx -> {
                    Model.randomOps(r, tx, m, 1 + r.nextInt(25));
                    return null;
                });
                System.out.println("COMMITTED " + t);
                System.out.flush();
            }
        }
    }
}
