package berth.engine.internal;

import berth.engine.events.Event;
import berth.engine.events.EventCodec;
import berth.engine.events.EventStatus;
import berth.engine.events.EventType;
import berth.engine.events.GoTime;
import berth.support.FileLocks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Where events go: podman's {@code events_logger} backends that berth has, the file and none. */
public sealed interface EventSink {
    void write(Event e) throws IOException;

    /** {@code events_logger = "none"}: events are dropped, and {@code events} refuses to read. */
    record None() implements EventSink {
        @Override
        public void write(Event e) {
        }
    }

    /**
     * {@code events_logger = "file"}: podman's file backend, one JSON line per event. A line is one
     * {@code write(2)} on an {@code O_APPEND} descriptor, so concurrent berth (and podman) processes
     * never interleave within a line, and the common case takes no lock: open, fstat, write, close.
     * Past {@code maxSize} bytes (0: never) the log is cut to its newer half under podman's lock
     * ({@code PATH.lock}, an fcntl lock as podman's), and a {@code log-rotation} event says so. A
     * writer that opened the file just before another process rotated it can lose its line (podman
     * holds the lock for every write to avoid that; berth keeps the hot path free of the lock).
     */
    record File(Path path, long maxSize) implements EventSink {
        @Override
        public void write(Event e) throws IOException {
            byte[] line = (EventCodec.encode(e) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = open()) {
                if (maxSize > 0 && ch.size() + line.length >= maxSize) {
                    ch.close();
                    rotateAndWrite(line);
                    return;
                }
                ch.write(ByteBuffer.wrap(line));
            }
        }

        private FileChannel open() throws IOException {
            try {
                return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
            } catch (NoSuchFileException missingDir) {
                Files.createDirectories(path.getParent());
                return FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
            }
        }

        private void rotateAndWrite(byte[] line) throws IOException {
            try (FileLocks.Held ignored = FileLocks.lock(Path.of(path + ".lock"))) {
                boolean rotate = Files.exists(path) && Files.size(path) + line.length >= maxSize;
                if (rotate) {
                    keepNewerHalf();
                }
                try (FileChannel ch = open()) {
                    if (rotate) {
                        Event r = new Event(GoTime.now(), EventType.SYSTEM, EventStatus.LOG_ROTATION.text(), "", path.toString(), "", "", 0,
                                "", "", null);
                        ch.write(ByteBuffer.wrap((EventCodec.encode(r) + "\n").getBytes(StandardCharsets.UTF_8)));
                    }
                    ch.write(ByteBuffer.wrap(line));
                }
            }
        }

        /** podman's truncate: from the middle, drop the partial line, keep the rest. */
        private void keepNewerHalf() throws IOException {
            Path tmp = Files.createTempFile(path.getParent(), ".events", ".tmp");
            try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = in.size();
                in.position(size / 2);
                try (InputStream s = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(in));
                     java.io.OutputStream out = Files.newOutputStream(tmp)) {
                    int b;
                    while ((b = s.read()) != -1 && b != '\n') {
                        // skip the line cut in two
                    }
                    s.transferTo(out);
                }
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
