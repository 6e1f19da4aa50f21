package berth.engine.internal;

/**
 * One task on its own daemon thread: first-use work taken off the main path, or work that overlaps a
 * wait on another process (a state write while the runtime starts a container). {@link #await}
 * rethrows what the task threw; a task nobody awaits simply ends with the command. A plain thread,
 * not the common fork-join pool: its set-up would cost more than the overlap saves in a short CLI.
 */
public final class Concurrently {
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile Error error;

    private Concurrently(String name, Runnable task) {
        thread = new Thread(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                error = e;
            }
        }, name);
        thread.setDaemon(true);
    }

    public static Concurrently run(String name, Runnable task) {
        Concurrently c = new Concurrently(name, task);
        c.thread.start();
        return c;
    }

    /** Waits for the task; rethrows its exception, if any. */
    public void await() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error != null) {
            throw error;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
