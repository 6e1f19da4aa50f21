package berth.engine.internal;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.trace.Trace;
import java.nio.file.Path;

/**
 * A backend's {@link NetworkBackend#beginSetup} on a thread of its own, so that it overlaps the OCI
 * spec and the runtime's create (a bridge's CNI plugins or netavark take as long as crun's create).
 * The thread touches only the backend and the namespace, never the state: the engine's thread records
 * the outcome. A failed setup is undone on the thread (backend teardown, namespace removed), as the
 * engine undoes a failed setup made in line.
 */
final class BackgroundSetup {
    private final Concurrently work;
    private volatile NetworkStatus status;

    private BackgroundSetup(NetworkBackend backend, NetworkRequest request, Path ns) {
        work = Concurrently.run("berth-network-setup", () -> {
            status = setUpOrUndo(backend, request, ns);
            Trace.mark("network: set up in the background");
        });
    }

    static BackgroundSetup begin(NetworkBackend backend, NetworkRequest request, Path ns) {
        return new BackgroundSetup(backend, request, ns);
    }

    /** The backend's setup; when it fails, whatever it left is torn down and the namespace removed. */
    static NetworkStatus setUpOrUndo(NetworkBackend b, NetworkRequest request, Path ns) {
        try {
            return b.beginSetup(request);
        } catch (RuntimeException e) {
            try {
                b.teardown(request, NetworkStatus.empty(b.id()));
            } catch (RuntimeException ignored) {
                // the setup error is the one to report
            }
            try {
                NetNs.remove(ns);
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /** Waits for the setup: its status, or its failure rethrown (then nothing of it is left). */
    NetworkStatus await() {
        work.await();
        return status;
    }
}
