package berth.oci.conmon;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import berth.kernel.json.Json;
import berth.kernel.json.JsonObject;
import berth.kernel.spi.runtime.RuntimeContainer;
import berth.support.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;

/** Turns what the runtime wrote in its JSON log, or what conmon reported, into the error the user sees. */
final class RuntimeFailures {
    private RuntimeFailures() {
    }

    /** The runtime's last error or fatal message in the container's oci-log; empty if none. */
    static String lastLoggedError(RuntimeContainer c) {
        try {
            String last = "";
            for (String line : Files.readAllLines(ConmonPaths.ociLog(c))) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject o = Json.parseObject(line);
                    if ("error".equals(o.str("level")) || "fatal".equals(o.str("level"))) {
                        last = o.str("msg", line);
                    }
                } catch (IOException e) {
                    last = line;
                }
            }
            return last;
        } catch (IOException e) {
            return "";
        }
    }

    /** Maps the runtime's words to podman's exit codes: 127 not found, 126 cannot invoke (seed 003). */
    static BerthException of(RuntimeContainer c, String conmonMessage) {
        String msg = lastLoggedError(c);
        if (msg.isEmpty()) {
            msg = conmonMessage == null ? "container create failed" : OciCli.clean(conmonMessage);
        }
        String lower = msg.toLowerCase(Locale.ROOT);
        ErrorCode code = ErrorCode.RUNTIME_ERROR;
        if (lower.contains("executable file not found") || lower.contains("no such file or directory")
                || lower.contains("not found in $path")) {
            code = ErrorCode.COMMAND_NOT_FOUND;
        } else if (lower.contains("permission denied") || lower.contains("operation not permitted") // crun on a directory
                || lower.contains("exec format error") || lower.contains("is a directory")) {
            code = ErrorCode.PERMISSION_DENIED;
        }
        return new BerthException(code, "container " + c.name() + " (" + Names.shortId(c.id()) + "): " + msg);
    }
}
