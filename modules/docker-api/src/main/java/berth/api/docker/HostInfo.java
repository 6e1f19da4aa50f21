package berth.api.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host facts {@code /info} and {@code /version} report. */
final class HostInfo {
    private HostInfo() {
    }

    static String kernel() {
        return read("/proc/sys/kernel/osrelease", System.getProperty("os.version"));
    }

    static String hostname() {
        return read("/proc/sys/kernel/hostname", "localhost");
    }

    static String goArch() {
        String a = System.getProperty("os.arch");
        return a.equals("aarch64") ? "arm64" : a.equals("x86_64") ? "amd64" : a;
    }

    static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // below
        }
        return "linux";
    }

    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        return 0;
    }

    private static String read(String file, String dflt) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return dflt;
        }
    }
}
