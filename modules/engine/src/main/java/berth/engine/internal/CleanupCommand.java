package berth.engine.internal;

import berth.engine.EngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command a runtime runs when a container exits: {@code berth ... container cleanup ID}, wrapped
 * in sh so that it stands down while an attached {@code run} (its PID in the marker file) is alive to
 * clean up itself, saving a second JVM on the hot path.
 */
public final class CleanupCommand {
    /** The wrapper: read (a builtin, no fork) the marker's PID; if that process lives, it cleans up. */
    static final String STAND_DOWN_SCRIPT =
            "m=$1; shift; p=; { read -r p || :; } 2>/dev/null < \"$m\"; if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then exit 0; fi; exec \"$@\"";

    private final EngineConfig config;
    private final String launcher;

    /** {@code launcher}: the berth binary that started this JVM (bin/berth sets it); null or empty for none. */
    public CleanupCommand(EngineConfig config, String launcher) {
        this.config = config;
        this.launcher = launcher;
    }

    /** The marker an attached process writes its PID to (see {@link AttachedRun}). */
    public static Path marker(ContainerPaths paths) {
        return paths.runDir().resolve("attached.pid");
    }

    /** The command for one container; empty when berth was not started through its launcher (embedded). */
    public List<String> forContainer(String id) {
        if (launcher == null || launcher.isEmpty()) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", STAND_DOWN_SCRIPT, "berth-exit",
                marker(ContainerPaths.of(config, id)).toString()));
        if (!config.pluginDirs().isEmpty()) {
            // the runtime gives its cleanup command a bare environment; cleanup must load the same plugins (poststop hooks)
            List<String> dirs = new ArrayList<>();
            config.pluginDirs().forEach(d -> dirs.add(d.toString()));
            cmd.add("env");
            cmd.add("BERTH_PLUGIN_PATH=" + String.join(":", dirs));
        }
        cmd.addAll(List.of(launcher, "--root", config.root().toString(), "--runroot",
                config.runRoot().toString(), "--tmpdir", config.tmpDir().toString(), "--db-backend", config.stateBackend()));
        if (config.configFile() != null) {
            cmd.add("--config");
            cmd.add(config.configFile().toString());
        }
        List<String> events = config.engineOptions().get("events_logger");
        if (events != null && !events.isEmpty()) {
            // the exit's events (died, cleanup) go where this command's go, --events-backend included
            cmd.add("--events-backend");
            cmd.add(events.get(0));
        }
        cmd.add("container");
        cmd.add("cleanup");
        cmd.add(id);
        return cmd;
    }
}
