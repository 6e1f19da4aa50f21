package berth.oci.conmon;

import berth.kernel.spi.runtime.ExecRequest;
import berth.kernel.spi.runtime.RuntimeContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds conmon's command line for creating a container and for an exec session in one. */
final class ConmonCommand {
    private final Path conmon;
    private final Path runtimeBinary;
    private final RuntimeFlavor flavor;
    private final List<String> runtimeGlobalArgs;
    private final ConmonPaths paths;
    private final String logLevel;

    ConmonCommand(Path conmon, Path runtimeBinary, RuntimeFlavor flavor, List<String> runtimeGlobalArgs, ConmonPaths paths,
                  String logLevel) {
        this.conmon = conmon;
        this.runtimeBinary = runtimeBinary;
        this.flavor = flavor;
        this.runtimeGlobalArgs = List.copyOf(runtimeGlobalArgs);
        this.paths = paths;
        this.logLevel = logLevel == null ? "error" : logLevel;
    }

    Path conmon() {
        return conmon;
    }

    /** conmon creating the container in the bundle, keeping its exit in the persist dir, running the cleanup command. */
    List<String> create(RuntimeContainer c) {
        List<String> args = shared(c, c.id(), c.bundleDir(), ConmonPaths.pidFile(c), paths.exitsDir(), c.logDriver(), c.logPath());
        args.add("--persist-dir");
        args.add(paths.persistDir(c).toString());
        if (c.terminal()) {
            args.add("-t");
        } else if (c.stdin()) {
            args.add("-i");
        }
        args.add("--conmon-pidfile");
        args.add(ConmonPaths.conmonPidFile(c).toString());
        if (c.preserveFds() > 0) {
            // as libpod: the runtime keeps fds 3..3+N-1, which ConmonLauncher hands conmon unchanged
            args.add("--runtime-opt");
            args.add("--preserve-fds");
            args.add("--runtime-opt");
            args.add(Integer.toString(c.preserveFds()));
        }
        if (c.logSizeMax() > 0) {
            args.add("--log-size-max");
            args.add(Long.toString(c.logSizeMax()));
        }
        if (c.timeout() > 0) {
            // as libpod: conmon SIGKILLs the container after this long and records its exit as -1
            args.add("--timeout");
            args.add(Integer.toString(c.timeout()));
        }
        if (!c.cleanupCommand().isEmpty()) {
            args.add("--exit-command");
            args.add(c.cleanupCommand().get(0));
            for (String a : c.cleanupCommand().subList(1, c.cleanupCommand().size())) {
                args.add("--exit-command-arg");
                args.add(a);
            }
        }
        return args;
    }

    /** conmon running {@code processSpec} in the container; its files (and its attach socket) in {@code execDir}. */
    List<String> exec(RuntimeContainer c, ExecRequest req, Path execDir, Path processSpec, boolean attached) {
        List<String> args = shared(c, req.sessionId(), execDir, execDir.resolve("exec_pid"), execDir.resolve("exit"), "none", null);
        args.add("-e");
        args.add("--conmon-pidfile"); // so another berth process can tell a live session from one that never started
        args.add(ExecFiles.conmonPidFile(execDir).toString());
        args.add("--exec-process-spec");
        args.add(processSpec.toString());
        if (req.terminal()) {
            args.add("-t");
        } else if (req.interactive()) {
            args.add("-i");
        }
        if (attached) {
            args.add("--exec-attach");
        }
        return args;
    }

    private List<String> shared(RuntimeContainer c, String cuuid, Path bundle, Path pidFile, Path exitDir, String logDriver, Path logPath) {
        List<String> args = new ArrayList<>(48);
        args.add(conmon.toString());
        args.add("--api-version");
        args.add("1");
        args.add("-c");
        args.add(c.id());
        args.add("-u");
        args.add(cuuid);
        args.add("-r");
        args.add(runtimeBinary.toString());
        args.add("-b");
        args.add(bundle.toString());
        args.add("-p");
        args.add(pidFile.toString());
        args.add("-n");
        args.add(c.name());
        args.add("--exit-dir");
        args.add(exitDir.toString());
        args.add("--full-attach");
        args.add("--socket-dir-path");
        args.add(paths.socketDir().toString());
        args.add("-l");
        if ("none".equals(logDriver) || logPath == null) {
            args.add("none");
        } else {
            args.add("k8s-file:" + logPath);
        }
        args.add("--log-level");
        args.add(logLevel);
        if (flavor.supportsJsonLog()) {
            args.add("--runtime-arg");
            args.add("--log-format=json");
            args.add("--runtime-arg");
            args.add("--log");
            args.add("--runtime-arg=" + ConmonPaths.ociLog(c));
        }
        for (String g : runtimeGlobalArgs) {
            args.add("--runtime-arg");
            args.add(g);
        }
        return args;
    }
}
