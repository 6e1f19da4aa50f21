package berth.api.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

/**
 * A hijacked connection (Docker's attach and exec start): after {@code 101 UPGRADED} the socket carries
 * the container's streams both ways. Jetty switches the endpoint to this connection once the 101 is
 * sent; a thread of its own then runs the session with blocking streams over the endpoint.
 */
final class RawConnection extends AbstractConnection implements Connection.UpgradeTo {
    /** The session: it reads the client's input and writes the container's output. */
    interface Session {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    private final Session session;
    private final Activity activity;
    private ByteBuffer prefilled = BufferUtil.EMPTY_BUFFER;

    RawConnection(EndPoint endPoint, Session session, Activity activity) {
        super(endPoint, Runnable::run);
        this.session = session;
        this.activity = activity;
        activity.begin();
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            prefilled = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        Thread t = new Thread(this::runSession, "berth-api-session");
        t.setDaemon(true);
        t.start();
    }

    private void runSession() {
        EndPoint ep = getEndPoint();
        try {
            session.run(new In(ep), new Out(ep));
        } catch (Exception e) {
            // the client went away or the container's streams closed: either way the session is over
        } finally {
            try {
                ep.shutdownOutput();
            } finally {
                ep.close();
                activity.end();
            }
        }
    }

    @Override
    public void onFillable() {
        // reads are driven by the session thread (In), never by the selector
    }

    /** Blocking reads: fill, and when nothing is there, wait for the selector to say there is. */
    private final class In extends InputStream {
        private final EndPoint ep;
        private boolean eof;

        In(EndPoint ep) {
            this.ep = ep;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (prefilled.hasRemaining()) {
                int n = Math.min(len, prefilled.remaining());
                prefilled.get(b, off, n);
                return n;
            }
            if (eof) {
                return -1;
            }
            ByteBuffer buf = BufferUtil.allocate(len);
            while (true) {
                int n = ep.fill(buf);
                if (n < 0) {
                    eof = true;
                    return -1;
                }
                if (n > 0) {
                    buf.get(b, off, n);
                    return n;
                }
                FutureCallback ready = new FutureCallback();
                ep.fillInterested(ready);
                await(ready);
            }
        }
    }

    /** Blocking writes: each write completes before the next begins. */
    private static final class Out extends OutputStream {
        private final EndPoint ep;

        Out(EndPoint ep) {
            this.ep = ep;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            FutureCallback done = new FutureCallback();
            ep.write(done, ByteBuffer.wrap(b, off, len));
            await(done);
        }
    }

    private static void await(FutureCallback cb) throws IOException {
        try {
            cb.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
