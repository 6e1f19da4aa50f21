package berth.api.docker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the API keeps in memory between requests: attaches waiting for their container's start (the
 * docker CLI attaches before it starts), the exit codes of containers removed on exit (the wait
 * request outlives the record), and exec instances (Docker creates, then starts, then inspects them).
 * Container state itself is the engine's, on disk.
 */
final class Sessions {
    /** An attach to a container not yet started: the start request hands the start to it. */
    static final class PendingAttach {
        final CompletableFuture<Void> startRequested = new CompletableFuture<>();
        final CompletableFuture<Void> started = new CompletableFuture<>();
    }

    final Map<String, PendingAttach> pendingAttaches = new ConcurrentHashMap<>();
    final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    /** Containers an attach session is running: their exit code is coming. */
    final java.util.Set<String> attaching = ConcurrentHashMap.newKeySet();
    final Map<String, ExecInstance> execs = new ConcurrentHashMap<>();
}
