package berth.hooks.oci;

import java.nio.file.Path;

/**
 * Why a hook file, or a whole hooks directory, was skipped.
 *
 * @param file the hook file or hooks directory
 * @param field the offending property as a JSON path ({@code hook.path}, {@code when.commands[1]},
 *     {@code stages[0]}), or null when the problem is with the whole file or directory
 * @param message what is wrong with it
 * @param directory true when {@code file} is a hooks directory that could not be read
 */
record HookProblem(Path file, String field, String message, boolean directory) {

    static HookProblem ofFile(Path file, String field, String message) {
        return new HookProblem(file, field, message, false);
    }

    static HookProblem ofDirectory(Path dir, String message) {
        return new HookProblem(dir, null, message, true);
    }

    /**
     * The line reported to the user, e.g.
     * {@code hook file /etc/containers/oci/hooks.d/a.json: hook.path: "/x" does not exist; skipped}.
     */
    @Override
    public String toString() {
        return (directory ? "hooks directory " : "hook file ") + file + ": "
                + (field == null ? "" : field + ": ") + message + "; skipped";
    }
}
