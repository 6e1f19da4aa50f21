package berth.bolt.db;

import java.util.concurrent.TimeUnit;

/**
 * A read-write lock without owner threads (a handle may be closed by another thread than the one
 * that opened it), preferring writers. It orders the handles one JVM opens on one file before they
 * take their flock(2), so that threads queue here instead of polling the file lock.
 */
final class PathLock {
    private int readers;
    private boolean writer;
    private int waitingWriters;

    synchronized boolean acquire(boolean exclusive, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        if (exclusive) {
            waitingWriters++;
            try {
                while (writer || readers > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                writer = true;
                return true;
            } finally {
                waitingWriters--;
                if (!writer) {
                    notifyAll();
                }
            }
        }
        while (writer || waitingWriters > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        readers++;
        return true;
    }

    synchronized void release(boolean exclusive) {
        if (exclusive) {
            writer = false;
        } else {
            readers--;
        }
        notifyAll();
    }
}
