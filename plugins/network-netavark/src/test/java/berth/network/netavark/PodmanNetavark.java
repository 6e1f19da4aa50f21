package berth.network.netavark;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman 4.3.1 with netavark at temporary paths, for the interop tests. podman as root keeps its IPAM
 * database and aardvark-dns config in /run/containers/networks whatever its options; tests must not
 * touch that, so every podman command runs in one mount namespace of its own (a {@code sleep} holds it)
 * where a temporary directory is bound over /run/containers/networks. The network namespace is the
 * host's, so bridges, veths and firewall rules are real and shared with berth.
 */
final class PodmanNetavark implements AutoCloseable {
    static final Path PODMAN = Path.of("/usr/bin/podman");

    record Result(int exitCode, String out, String err, List<String> cmd) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed (" + exitCode + "):\n" + out + "\n" + err);
            }
            return this;
        }
    }

    private final Path dir;
    private final Path conf;
    private final Process holder;

    private PodmanNetavark(Path dir, Path conf, Process holder) {
        this.dir = dir;
        this.conf = conf;
        this.holder = holder;
    }

    /** podman whose network config dir is {@code configDir} and whose netavark run dir is {@code runDir}. */
    static PodmanNetavark start(Path dir, Path configDir, Path runDir) throws IOException {
        if (!Files.isExecutable(PODMAN)) {
            fail("the podman interop tests need podman 4.3.1 at " + PODMAN + " (apt-get install -y podman)");
        }
        if (!Files.isDirectory(Path.of("/run/containers/networks"))) {
            fail("the podman interop tests bind a temporary directory over /run/containers/networks in a mount namespace of"
                    + " their own, and need it to exist (podman makes it on its first netavark run)");
        }
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, """
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
                [network]
                network_backend = "netavark"
                network_config_dir = "%s"
                [engine]
                lock_type = "file"
                """.formatted(configDir));
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "slave", "sh", "-c",
                "mount --bind \"$0\" /run/containers/networks && echo ready && exec sleep 3600", runDir.toString());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process holder = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            holder.destroyForcibly();
            fail("could not make podman's mount namespace: " + line);
        }
        return new PodmanNetavark(dir, conf, holder);
    }

    Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "--", PODMAN.toString(),
                "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("runroot").toString(), "--tmpdir",
                dir.resolve("tmp").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                "--runtime", "crun"));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("CONTAINERS_CONF", conf.toString());
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Path out = Files.createTempFile(dir, "podman-out", ".txt");
            Path err = Files.createTempFile(dir, "podman-err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err), cmd);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A busybox root file system for {@code podman run --rootfs}. */
    static Path busyboxRootfs(Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            fail("the podman interop tests need /bin/busybox (busybox-static)");
        }
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        for (String tool : List.of("sh", "sleep", "ip", "ping")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(tool), Path.of("busybox"));
        }
        return rootfs;
    }

    @Override
    public void close() {
        run("rm", "--all", "--force", "--time", "0");
        holder.destroyForcibly();
        try {
            holder.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
