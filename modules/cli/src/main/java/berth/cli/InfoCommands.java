package berth.cli;

import berth.engine.Engine;
import berth.engine.EngineConfig;
import berth.kernel.json.Json;
import berth.kernel.plugin.PluginInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code version} and {@code info}. */
final class InfoCommands {
    private InfoCommands() {
    }

    static String version() {
        Module m = InfoCommands.class.getModule();
        String v = m.getDescriptor() == null ? null : m.getDescriptor().rawVersion().orElse(null);
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Command(name = "version", description = "Show the berth version.")
    static final class Version implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;

        @Override
        public Integer call() {
            System.out.println("Version:      " + version());
            System.out.println("Java Version: " + System.getProperty("java.version"));
            System.out.println("OS/Arch:      " + System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
            return 0;
        }
    }

    @Command(name = "info", description = "Show the plugins found, the selected runtime, state and network backends, and the directories.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        BerthCommand root;

        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;

        @Option(names = {"-f", "--format"}, description = "Output format: text or json.")
        String format = "text";

        @Override
        public Integer call() {
            Engine e = root.engine();
            EngineConfig c = e.config();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", version());
            Map<String, Object> sel = new LinkedHashMap<>();
            sel.put("runtime", c.runtime());
            sel.put("stateBackend", c.stateBackend());
            sel.put("defaultNetwork", c.defaultNetwork());
            out.put("selected", sel);
            Map<String, Object> dirs = new LinkedHashMap<>();
            dirs.put("root", c.root().toString());
            dirs.put("runRoot", c.runRoot().toString());
            dirs.put("staticDir", c.staticDir().toString());
            dirs.put("tmpDir", c.tmpDir().toString());
            dirs.put("networkConfigDir", c.networkConfigDir().toString());
            dirs.put("configFile", c.configFile() == null ? "(none)" : c.configFile().toString());
            out.put("directories", dirs);
            List<Object> plugins = new ArrayList<>();
            for (PluginInfo p : e.plugins()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("spi", p.spi());
                m.put("id", p.id());
                m.put("module", p.module());
                m.put("version", p.version());
                m.put("description", p.description());
                plugins.add(m);
            }
            out.put("plugins", plugins);
            out.put("problems", e.pluginProblems());
            if ("json".equals(format)) {
                System.out.println(Json.write(out, true));
                return 0;
            }
            System.out.println("berth " + version());
            System.out.println("selected:");
            sel.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            System.out.println("directories:");
            dirs.forEach((k, v) -> System.out.println("  " + k + ": " + v));
            System.out.println("plugins:");
            System.out.printf("  %-22s %-20s %-30s %s%n", "SPI", "ID", "MODULE", "VERSION");
            for (PluginInfo p : e.plugins()) {
                System.out.printf("  %-22s %-20s %-30s %s%n", p.spi(), p.id(), p.module(), p.version());
            }
            for (String p : e.pluginProblems()) {
                System.out.println("problem: " + p);
            }
            return 0;
        }
    }
}
