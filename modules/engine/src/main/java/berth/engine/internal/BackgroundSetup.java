package berth.engine.internal;

import berth.kernel.spi.network.NetworkBackend;
import berth.kernel.spi.network.NetworkRequest;
import berth.kernel.spi.network.NetworkStatus;
import berth.kernel.trace.Trace;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A container's network made on a thread of its own, so that it overlaps the OCI spec and the
 * runtime's create (a bridge's CNI plugins or netavark take as long as crun's create): the namespace
 * (which the runtime's create needs: {@link #awaitNamespace}), its path recorded, then the backend's
 * {@link NetworkBackend#beginSetup}. The engine's thread writes nothing to the record meanwhile and
 * records the outcome after {@link #await}. A failed setup is undone on the thread (backend
 * teardown, namespace removed), as the engine undoes a failed setup made in line.
 */
final class BackgroundSetup {
    private final CountDownLatch namespaceMade = new CountDownLatch(1);
    private final Concurrently work;
    private volatile boolean namespaceFailed;
    private volatile NetworkStatus status;

    private BackgroundSetup(Runnable makeNamespace, Runnable recordNamespace, NetworkBackend backend, NetworkRequest request,
                            Path ns) {
        work = Concurrently.run("berth-network-setup", () -> {
            try {
                makeNamespace.run();
            } catch (RuntimeException | Error e) {
                namespaceFailed = true;
                throw e;
            } finally {
                namespaceMade.countDown();
            }
            try {
                recordNamespace.run();
            } catch (RuntimeException e) {
                removeQuietly(ns, e);
                throw e;
            }
            status = setUpOrUndo(backend, request, ns);
            Trace.mark("network: set up in the background");
        });
    }

    static BackgroundSetup begin(Runnable makeNamespace, Runnable recordNamespace, NetworkBackend backend, NetworkRequest request,
                                 Path ns) {
        return new BackgroundSetup(makeNamespace, recordNamespace, backend, request, ns);
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
            removeQuietly(ns, e);
            throw e;
        }
    }

    private static void removeQuietly(Path ns, RuntimeException cause) {
        try {
            NetNs.remove(ns);
        } catch (RuntimeException second) {
            cause.addSuppressed(second);
        }
    }

    /** Waits until the namespace exists (the runtime's create joins it); rethrows the failure to make it. */
    void awaitNamespace() {
        boolean interrupted = false;
        while (true) {
            try {
                namespaceMade.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (namespaceFailed) {
            work.await(); // rethrows it
        }
    }

    /** Waits for the setup: its status, or its failure rethrown (then nothing of it is left). */
    NetworkStatus await() {
        work.await();
        return status;
    }
}
