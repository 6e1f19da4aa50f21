package berth.api.docker;

import berth.engine.Engine;
import berth.engine.ExecOptions;
import berth.kernel.json.JsonObject;
import berth.kernel.model.AttachStreams;
import berth.kernel.model.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Docker's exec: create an instance, start it (hijacked or detached), resize it, inspect it. */
final class ExecRoutes {
    private final Engine engine;
    private final Sessions sessions;
    private final Activity activity;

    ExecRoutes(Engine engine, Sessions sessions, Activity activity) {
        this.engine = engine;
        this.sessions = sessions;
        this.activity = activity;
    }

    void register(Router r) {
        r.add(Route.of("POST", "/containers/{id}/exec", (x, p) -> create(x, p[0])));
        r.add(Route.of("POST", "/exec/{id}/start", (x, p) -> start(x, p[0])));
        r.add(Route.of("POST", "/exec/{id}/resize", (x, p) -> {
            ExecInstance e = find(p[0]);
            e.size = new int[] {x.integer("h") == null ? 24 : x.integer("h"), x.integer("w") == null ? 80 : x.integer("w")};
            if (e.running && e.options.terminal()) {
                engine.resizeExec(e.containerId, e.id, e.size[0], e.size[1]);
            } // before the start, the start applies it; without a terminal there is nothing to size
            x.sendEmpty(201);
        }));
        r.add(Route.of("GET", "/exec/{id}/json", (x, p) -> x.sendJson(200, inspect(find(p[0])))));
    }

    private void create(Exchange x, String id) throws Exception {
        Container c = engine.container(id);
        if (!c.status().isRunningOrPaused()) {
            throw new ApiError(409, "Container " + c.id() + " is not running");
        }
        JsonObject b = x.json();
        List<String> cmd = b.strings("Cmd");
        if (cmd.isEmpty()) {
            throw ApiError.badRequest("No exec command specified");
        }
        // the engine's session is named by the instance's ID, so that a resize reaches its terminal
        String execId = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        ExecOptions o = new ExecOptions(cmd, b.strings("Env"), emptyToNull(b.str("WorkingDir")), emptyToNull(b.str("User")),
                b.bool("AttachStdin", false), b.bool("Tty", false), false, execId);
        sessions.execs.put(execId, new ExecInstance(execId, c.id(), o, b.bool("AttachStdin", false),
                b.bool("AttachStdout", false), b.bool("AttachStderr", false)));
        x.sendJson(201, Map.of("Id", execId));
    }

    private void start(Exchange x, String id) throws Exception {
        ExecInstance e = find(id);
        JsonObject b = x.json();
        if (e.running || e.exitCode != null) {
            throw new ApiError(409, "exec session " + id + " has already run");
        }
        e.running = true;
        int[] early = e.size;
        if (early != null && e.options.terminal()) {
            Thread sizer = new Thread(() -> {
                try {
                    engine.resizeExec(e.containerId, e.id, early[0], early[1]);
                } catch (RuntimeException ignored) {
                    // the session ended first, or never started: its start reports that
                }
            }, "berth-api-exec-size");
            sizer.setDaemon(true);
            sizer.start();
        }
        if (b.bool("Detach", false)) {
            Thread t = new Thread(() -> run(e, new AttachStreams(null, null, null, new byte[0])), "berth-api-exec");
            t.setDaemon(true);
            activity.begin();
            t.start();
            x.sendEmpty(200);
            return;
        }
        Hijack.begin(x, activity, (in, out) -> {
            AttachStreams s = Attach.streams(e.attachStdin ? in : null, out, e.attachStdout, e.attachStderr, e.options.terminal());
            runAttached(e, s);
        });
    }

    private void run(ExecInstance e, AttachStreams s) {
        try {
            runAttached(e, s);
        } finally {
            activity.end();
        }
    }

    private void runAttached(ExecInstance e, AttachStreams s) {
        try {
            e.exitCode = engine.exec(e.containerId, e.options, s);
        } catch (RuntimeException ex) {
            e.exitCode = 126;
            throw ex;
        } finally {
            e.running = false;
        }
    }

    private ExecInstance find(String id) {
        ExecInstance e = sessions.execs.get(id);
        if (e == null) {
            throw ApiError.notFound("No such exec instance: " + id);
        }
        return e;
    }

    private static Map<String, Object> inspect(ExecInstance e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", e.id);
        m.put("Running", e.running);
        m.put("ExitCode", e.exitCode == null ? 0 : e.exitCode);
        m.put("ProcessConfig", Map.of("tty", e.options.terminal(), "entrypoint", e.options.command().get(0),
                "arguments", e.options.command().subList(1, e.options.command().size()), "privileged", false,
                "user", e.options.user() == null ? "" : e.options.user()));
        m.put("OpenStdin", e.attachStdin);
        m.put("OpenStdout", e.attachStdout);
        m.put("OpenStderr", e.attachStderr);
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId);
        m.put("DetachKeys", "");
        m.put("Pid", 0);
        return m;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
