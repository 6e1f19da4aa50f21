package berth.kernel.model;

import berth.kernel.json.JsonObject;
import java.util.List;

/** An exec session in a container (libpod ExecSession): the process, its PID and, once done, its exit code. */
public record ExecSession(String id, List<String> command, int pid, boolean running, int exitCode) {
    public ExecSession {
        command = List.copyOf(command);
    }

    public Object toJson() {
        return new JsonObject().put("id", id).put("command", command).put("pid", pid).put("running", running).put("exitCode", exitCode).asMap();
    }

    public static ExecSession fromJson(JsonObject o) {
        return new ExecSession(o.str("id"), o.strings("command"), o.integer("pid", 0), o.bool("running", false), o.integer("exitCode", -1));
    }
}
