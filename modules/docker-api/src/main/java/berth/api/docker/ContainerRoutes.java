package berth.api.docker;

import berth.engine.Engine;
import berth.engine.LogOptions;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.model.Container;
import berth.kernel.model.ContainerStatus;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container endpoints but attach, exec and archive: create, lifecycle, list, inspect, logs, wait, remove, prune. */
final class ContainerRoutes {
    private final Engine engine;
    private final Sessions sessions;
    private final Attach attach;

    ContainerRoutes(Engine engine, Sessions sessions, Activity activity) {
        this.engine = engine;
        this.sessions = sessions;
        this.attach = new Attach(engine, sessions, activity);
    }

    void register(Router r) {
        r.add(Route.of("POST", "/containers/create", (x, p) -> create(x)));
        r.add(Route.of("GET", "/containers/json", (x, p) -> x.sendJson(200, list(x))));
        r.add(Route.of("POST", "/containers/prune", (x, p) -> prune(x)));
        r.add(Route.of("GET", "/containers/{id}/json", (x, p) -> inspect(x, p[0])));
        r.add(Route.of("POST", "/containers/{id}/start", (x, p) -> start(x, p[0])));
        r.add(Route.of("POST", "/containers/{id}/stop", (x, p) -> stop(x, p[0])));
        r.add(Route.of("POST", "/containers/{id}/restart", (x, p) -> {
            engine.restart(p[0], x.integer("t"));
            x.sendEmpty(204);
        }));
        r.add(Route.of("POST", "/containers/{id}/kill", (x, p) -> kill(x, p[0])));
        r.add(Route.of("POST", "/containers/{id}/pause", (x, p) -> {
            engine.pause(p[0]);
            x.sendEmpty(204);
        }));
        r.add(Route.of("POST", "/containers/{id}/unpause", (x, p) -> {
            engine.unpause(p[0]);
            x.sendEmpty(204);
        }));
        r.add(Route.of("POST", "/containers/{id}/wait", (x, p) -> waitFor(x, p[0])));
        r.add(Route.of("DELETE", "/containers/{id}", (x, p) -> remove(x, p[0])));
        r.add(Route.of("GET", "/containers/{id}/logs", (x, p) -> logs(x, p[0])));
        r.add(Route.of("POST", "/containers/{id}/resize", (x, p) -> {
            engine.resize(p[0], x.integer("h") == null ? 24 : x.integer("h"), x.integer("w") == null ? 80 : x.integer("w"));
            x.sendText(200, "");
        }));
        r.add(Route.of("POST", "/containers/{id}/attach", (x, p) -> attach.attach(x, p[0])));
    }

    private void create(Exchange x) throws Exception {
        Container c = engine.create(CreateRequest.parse(x.query("name"), x.json()));
        x.sendJson(201, Map.of("Id", c.id(), "Warnings", List.of()));
    }

    private List<Object> list(Exchange x) {
        boolean all = x.flag("all", false);
        Integer limit = x.integer("limit");
        Map<String, List<String>> filters = x.filters();
        List<Object> out = new ArrayList<>();
        List<Container> cs = new ArrayList<>(engine.containers());
        cs.sort((a, b) -> b.config().createdAt() == null || a.config().createdAt() == null ? 0
                : b.config().createdAt().compareTo(a.config().createdAt()));
        for (Container c : cs) {
            boolean running = c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED;
            if (!all && !running && !filters.containsKey("status")) {
                continue;
            }
            if (!ContainerFilters.matches(c, filters)) {
                continue;
            }
            out.add(ContainerJson.summary(c));
            if (limit != null && limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    private void inspect(Exchange x, String id) {
        Container c = engine.container(id);
        x.sendJson(200, ContainerJson.inspect(c, engine.inspect(c.id())));
    }

    private void start(Exchange x, String id) throws Exception {
        Container c = engine.container(id);
        if (c.status() == ContainerStatus.RUNNING || c.status() == ContainerStatus.PAUSED) {
            x.sendEmpty(304);
            return;
        }
        Sessions.PendingAttach pending = sessions.pendingAttaches.remove(c.id());
        if (pending != null) {
            // the attached client starts it: output from the first byte, and run --rm's one-pass removal
            pending.startRequested.complete(null);
            try {
                pending.started.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
            }
        } else {
            engine.start(c.id());
        }
        x.sendEmpty(204);
    }

    private void stop(Exchange x, String id) {
        Container c = engine.container(id);
        if (!c.status().isActive()) {
            x.sendEmpty(304);
            return;
        }
        engine.stop(c.id(), x.integer("t"));
        x.sendEmpty(204);
    }

    private void kill(Exchange x, String id) {
        Container c = engine.container(id);
        if (!c.status().isActive()) {
            throw new ApiError(409, "Container " + c.id() + " is not running");
        }
        engine.kill(c.id(), x.query("signal"));
        x.sendEmpty(204);
    }

    private void remove(Exchange x, String id) {
        Container c = engine.container(id);
        boolean force = x.flag("force", false);
        if (!force && c.status().isActive()) {
            throw new ApiError(409, "You cannot remove a running container " + c.id() + ". Stop the container before attempting removal or force remove");
        }
        engine.remove(c.id(), force, force ? 0 : null);
        if (x.flag("v", false)) {
            engine.volumes().removeAnonymous(c);
        }
        x.sendEmpty(204);
    }

    private void prune(Exchange x) {
        List<String> deleted = new ArrayList<>();
        Map<String, List<String>> filters = x.filters();
        for (Container c : engine.containers()) {
            if (c.status().isActive() || !ContainerFilters.matches(c, filters)) {
                continue;
            }
            try {
                engine.remove(c.id(), false, null);
                deleted.add(c.id());
            } catch (BerthException e) {
                // in use by a dependent, or removed meanwhile: prune skips it, as Docker's does
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContainersDeleted", deleted);
        m.put("SpaceReclaimed", 0);
        x.sendJson(200, m);
    }

    /**
     * Docker's conditions: not-running (the default), next-exit, removed. The engine has no wait on a
     * removal, so this polls the record; the exit code of a container removed on exit comes from the
     * attach that ran it.
     */
    private void waitFor(Exchange x, String id) throws Exception {
        Container c = engine.container(id);
        String cid = c.id();
        String condition = x.query("condition", "not-running");
        java.time.Instant since = java.time.Instant.now().minusMillis(50);
        OutputStream out = x.stream(200, "application/json");
        out.flush(); // the client's run goes on once the wait is in place
        Integer code = null;
        int last = c.state().exitCode();
        while (code == null) {
            java.util.Optional<Container> cur = find(cid);
            if (cur.isEmpty()) {
                Integer known = sessions.exitCodes.get(cid);
                if (known == null && sessions.attaching.contains(cid)) {
                    Thread.sleep(20); // removed on exit: the attach that ran it is about to record the code
                    continue;
                }
                code = known != null ? known : last;
                break;
            }
            Container k = cur.get();
            last = k.state().exitCode();
            boolean stopped = k.status() == ContainerStatus.STOPPED || k.status() == ContainerStatus.EXITED;
            boolean notRunning = !k.status().isActive();
            switch (condition) {
                case "removed":
                    break;
                case "next-exit":
                    if (stopped && k.state().finishedAt() != null && !k.state().finishedAt().isBefore(since)) {
                        code = last;
                    }
                    break;
                default:
                    if (notRunning) {
                        code = last;
                    }
            }
            if (code == null) {
                Thread.sleep(50);
            }
        }
        out.write(berth.kernel.json.Json.writeBytes(Map.of("StatusCode", code)));
        out.write('\n');
        out.close();
    }

    private java.util.Optional<Container> find(String id) {
        try {
            return java.util.Optional.of(engine.container(id));
        } catch (BerthException e) {
            if (e.code() == ErrorCode.NO_SUCH_CONTAINER || e.code() == ErrorCode.CONTAINER_REMOVED) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    private void logs(Exchange x, String id) throws Exception {
        Container c = engine.container(id);
        boolean stdout = x.flag("stdout", false);
        boolean stderr = x.flag("stderr", false);
        if (!stdout && !stderr) {
            throw ApiError.badRequest("you must choose at least one stream");
        }
        String tailText = x.query("tail", "all");
        int tail;
        try {
            tail = tailText.equals("all") || tailText.isEmpty() ? -1 : Integer.parseInt(tailText);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid tail: " + tailText);
        }
        boolean tty = c.config().terminal();
        OutputStream out = x.stream(200, tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        out.flush();
        OutputStream o;
        OutputStream e;
        if (tty) {
            o = out;
            e = out;
        } else {
            Framing f = new Framing(out);
            o = f.stream(1);
            e = f.stream(2);
        }
        try {
            engine.logs(c.id(), new LogOptions(x.flag("follow", false), tail, x.flag("timestamps", false)),
                    stdout ? o : OutputStream.nullOutputStream(), stderr ? e : OutputStream.nullOutputStream());
        } catch (BerthException ex) {
            if (ex.getCause() instanceof java.io.IOException) {
                x.callback.failed(ex.getCause()); // the client went away
                return;
            }
            throw ex;
        }
        out.close();
    }
}
