package berth.kernel.model;

import berth.kernel.json.JsonObject;
import berth.kernel.json.JsonWritable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable part of a container, as an immutable value: each change makes a new state through
 * {@link #toBuilder()}. Mirrors libpod's ContainerState.
 */
public record ContainerState(
        ContainerStatus status,
        int pid,
        int conmonPid,
        int exitCode,
        boolean exited,
        boolean oomKilled,
        Instant startedAt,
        Instant finishedAt,
        int restartCount,
        boolean stoppedByUser,
        boolean restartPolicyMatch,
        String netNsPath,
        Map<String, Object> networkStatus,
        List<String> appliedHooks,
        Map<String, ExecSession> execSessions) implements JsonWritable {

    public ContainerState {
        networkStatus = networkStatus == null ? Map.of() : Map.copyOf(networkStatus);
        appliedHooks = List.copyOf(appliedHooks);
        execSessions = Map.copyOf(execSessions);
    }

    public static ContainerState configured() {
        return new ContainerState(ContainerStatus.CONFIGURED, 0, 0, 0, false, false, null, null, 0, false, false,
                null, Map.of(), List.of(), Map.of());
    }

    @Override
    public Object toJson() {
        Map<String, Object> execs = new LinkedHashMap<>();
        execSessions.forEach((k, v) -> execs.put(k, v.toJson()));
        return new JsonObject().put("status", status.internalName()).put("pid", pid).put("conmonPid", conmonPid)
                .put("exitCode", exitCode).put("exited", exited).put("oomKilled", oomKilled)
                .put("startedAt", startedAt == null ? null : Timestamps.format(startedAt))
                .put("finishedAt", finishedAt == null ? null : Timestamps.format(finishedAt))
                .put("restartCount", restartCount).put("stoppedByUser", stoppedByUser)
                .put("restartPolicyMatch", restartPolicyMatch).put("netNsPath", netNsPath)
                .put("networkStatus", networkStatus).put("appliedHooks", appliedHooks).put("execSessions", execs).asMap();
    }

    public static ContainerState fromJson(JsonObject o) {
        Map<String, ExecSession> execs = new LinkedHashMap<>();
        JsonObject e = o.obj("execSessions");
        if (e != null) {
            for (String k : e.asMap().keySet()) {
                execs.put(k, ExecSession.fromJson(e.obj(k)));
            }
        }
        JsonObject ns = o.obj("networkStatus");
        String started = o.str("startedAt");
        String finished = o.str("finishedAt");
        return new ContainerState(ContainerStatus.parse(o.str("status", "unknown")), o.integer("pid", 0),
                o.integer("conmonPid", 0), o.integer("exitCode", 0), o.bool("exited", false), o.bool("oomKilled", false),
                started == null ? null : Timestamps.parse(started), finished == null ? null : Timestamps.parse(finished),
                o.integer("restartCount", 0), o.bool("stoppedByUser", false), o.bool("restartPolicyMatch", false),
                o.str("netNsPath"), ns == null ? Map.of() : ns.asMap(), new ArrayList<>(o.strings("appliedHooks")), execs);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a state for changes. */
    public static final class Builder {
        private ContainerStatus status;
        private int pid;
        private int conmonPid;
        private int exitCode;
        private boolean exited;
        private boolean oomKilled;
        private Instant startedAt;
        private Instant finishedAt;
        private int restartCount;
        private boolean stoppedByUser;
        private boolean restartPolicyMatch;
        private String netNsPath;
        private Map<String, Object> networkStatus;
        private List<String> appliedHooks;
        private Map<String, ExecSession> execSessions;

        private Builder(ContainerState s) {
            status = s.status; pid = s.pid; conmonPid = s.conmonPid; exitCode = s.exitCode; exited = s.exited;
            oomKilled = s.oomKilled; startedAt = s.startedAt; finishedAt = s.finishedAt; restartCount = s.restartCount;
            stoppedByUser = s.stoppedByUser; restartPolicyMatch = s.restartPolicyMatch; netNsPath = s.netNsPath;
            networkStatus = s.networkStatus; appliedHooks = s.appliedHooks; execSessions = new LinkedHashMap<>(s.execSessions);
        }

        public Builder status(ContainerStatus v) { status = v; return this; }
        public Builder pid(int v) { pid = v; return this; }
        public Builder conmonPid(int v) { conmonPid = v; return this; }
        public Builder exitCode(int v) { exitCode = v; return this; }
        public Builder exited(boolean v) { exited = v; return this; }
        public Builder oomKilled(boolean v) { oomKilled = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder finishedAt(Instant v) { finishedAt = v; return this; }
        public Builder restartCount(int v) { restartCount = v; return this; }
        public Builder stoppedByUser(boolean v) { stoppedByUser = v; return this; }
        public Builder restartPolicyMatch(boolean v) { restartPolicyMatch = v; return this; }
        public Builder netNsPath(String v) { netNsPath = v; return this; }
        public Builder networkStatus(Map<String, Object> v) { networkStatus = v; return this; }
        public Builder appliedHooks(List<String> v) { appliedHooks = v; return this; }
        public Builder putExecSession(ExecSession v) { execSessions.put(v.id(), v); return this; }
        public Builder removeExecSession(String id) { execSessions.remove(id); return this; }
        public Builder clearExecSessions() { execSessions.clear(); return this; }

        public ContainerState build() {
            return new ContainerState(status, pid, conmonPid, exitCode, exited, oomKilled, startedAt, finishedAt,
                    restartCount, stoppedByUser, restartPolicyMatch, netNsPath, networkStatus, appliedHooks, execSessions);
        }
    }
}
