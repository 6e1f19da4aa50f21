package berth.kernel.spi.state;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths a state database was created with (libpod's DBConfig, seed 004). A store records them on
 * first use; opening it later with other paths is refused, since its records name those paths.
 */
public record DbConfig(String staticDir, String tmpDir, String graphRoot, String runRoot, String volumePath) {

    /** Fails with {@link ErrorCode#STATE_CONFIG_MISMATCH} naming each differing setting and the database. */
    public void checkMatches(DbConfig stored, String where) {
        List<String> diffs = new ArrayList<>();
        diff(diffs, "static dir", stored.staticDir, staticDir);
        diff(diffs, "tmp dir", stored.tmpDir, tmpDir);
        diff(diffs, "root", stored.graphRoot, graphRoot);
        diff(diffs, "run root", stored.runRoot, runRoot);
        diff(diffs, "volume path", stored.volumePath, volumePath);
        if (!diffs.isEmpty()) {
            throw new BerthException(ErrorCode.STATE_CONFIG_MISMATCH, "database " + where + " was created with "
                    + String.join(", ", diffs) + "; use the same paths or migrate the state");
        }
    }

    private static void diff(List<String> out, String what, String stored, String now) {
        if (stored != null && !stored.isEmpty() && now != null && !now.isEmpty() && !stored.equals(now)) {
            out.add(what + " \"" + stored + "\" (now \"" + now + "\")");
        }
    }

    public Object toJson() {
        return new JsonObject().put("staticDir", staticDir).put("tmpDir", tmpDir).put("graphRoot", graphRoot)
                .put("runRoot", runRoot).put("volumePath", volumePath).asMap();
    }

    public static DbConfig fromJson(JsonObject o) {
        return new DbConfig(o.str("staticDir"), o.str("tmpDir"), o.str("graphRoot"), o.str("runRoot"), o.str("volumePath"));
    }
}
