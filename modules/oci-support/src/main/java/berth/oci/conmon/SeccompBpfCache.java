package berth.oci.conmon;

import berth.oci.natives.LibSeccomp;
import berth.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * crun compiles a spec's seccomp section with libseccomp at every create: about 17 ms of CPU on the
 * critical path of every run, for a program that is the same for every container made with one
 * profile. This keeps each compiled program (see {@link SeccompPrecompiler}) under the run root and
 * hands it to crun as the {@code run.oci.seccomp_bpf_data} annotation (base64), which crun loads as
 * it is instead (and keeps in its state directory for exec, as it does a program it compiled).
 *
 * <p>An entry is keyed by what the program depends on: the section (its kept file, named by its
 * content: path, size, modification time), the running kernel and machine, and the libseccomp file
 * that compiled it (path, size, modification time, checked on every read). A changed library or a
 * reboot (the run root is a tmpfs) is a miss, never a stale program. {@code BERTH_SECCOMP_BPF=0}
 * turns it off, leaving the compiling to crun.
 */
final class SeccompBpfCache {
    static final String ANNOTATION = "run.oci.seccomp_bpf_data";

    private final Path dir;

    SeccompBpfCache(Path dir) {
        this.dir = dir;
    }

    static boolean enabled() {
        return !"0".equals(System.getenv("BERTH_SECCOMP_BPF"));
    }

    /** The annotation for the section kept in {@code sectionFile}; empty when crun should compile it (the cause is not the caller's). */
    Map<String, String> annotationsFor(Path sectionFile) {
        try {
            return base64For(sectionFile).map(b -> Map.of(ANNOTATION, b)).orElse(Map.of());
        } catch (IOException | RuntimeException | LinkageError e) {
            return Map.of(); // no libseccomp, an unwritable run root: crun compiles as it always did
        }
    }

    private Optional<String> base64For(Path sectionFile) throws IOException {
        BasicFileAttributes a = Files.readAttributes(sectionFile, BasicFileAttributes.class);
        String key = sectionFile.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                + "|" + kernel() + "|" + System.getProperty("os.arch");
        Path entry = dir.resolve(Long.toHexString(fnv1a(key)) + ".bpf");
        Optional<String> cached = read(entry, key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<byte[]> program = SeccompPrecompiler.compile(Files.readString(sectionFile));
        if (program.isEmpty()) {
            return Optional.empty();
        }
        String b64 = Base64.getEncoder().encodeToString(program.get());
        Path lib = LibSeccomp.libraryFile();
        if (lib != null) {
            Files.createDirectories(dir);
            // not synced: a lost entry is only a miss
            AtomicFiles.write(entry, (key + "\n" + identity(lib) + "\n" + b64).getBytes(StandardCharsets.UTF_8),
                    AtomicFiles.Durability.NONE);
        }
        return Optional.of(b64);
    }

    /** The entry's program when its key matches and the library that compiled it is unchanged. */
    private static Optional<String> read(Path entry, String key) throws IOException {
        String text;
        try {
            text = Files.readString(entry);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int first = text.indexOf('\n');
        int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        if (second < 0 || !text.substring(0, first).equals(key)) {
            return Optional.empty();
        }
        String lib = text.substring(first + 1, second);
        String libPath = lib.substring(0, Math.max(0, lib.indexOf('|')));
        if (libPath.isEmpty() || !identity(Path.of(libPath)).equals(lib)) {
            return Optional.empty();
        }
        return Optional.of(text.substring(second + 1));
    }

    private static String identity(Path lib) {
        try {
            BasicFileAttributes a = Files.readAttributes(lib, BasicFileAttributes.class);
            return lib + "|" + a.size() + "|" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return lib + "|gone";
        }
    }

    private static String kernel() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
