package berth.image.overlay;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A layer's {@code uidset} and {@code gidset}: the distinct owners of its files, as c/storage records them. */
final class IdSets {
    private IdSets() {
    }

    static void record(LayerRecord layer, Path dir) throws IOException {
        TreeSet<Long> uids = new TreeSet<>();
        TreeSet<Long> gids = new TreeSet<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                add(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                add(f);
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p) throws IOException {
                uids.add(((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
                gids.add(((Number) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
            }
        });
        layer.setIdSets(new ArrayList<>(uids), new ArrayList<>(gids));
    }

}
