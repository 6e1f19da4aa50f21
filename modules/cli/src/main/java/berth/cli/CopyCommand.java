package berth.cli;

import berth.engine.CopyRequest;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.util.List;

/** {@code berth cp [-a] SRC DEST}: which side is the container's (podman's parseUserInput); the engine copies. */
final class CopyCommand {
    private CopyCommand() {
    }

    static Cmd spec() {
        return new Cmd("cp", "cp [flags] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH",
                "Copy files between a container and the host ('-' streams a tar archive).",
                Commands.opts(Opt.flag("-a,--archive", "Give what is copied into the container to its user (default true; "
                                + "--archive=false keeps the owners)."),
                        Opt.flag("--overwrite", "Allow directories and non-directories to replace each other.")),
                false, 2, CopyCommand::run);
    }

    /** A container side: CONTAINER:PATH, unless the argument starts with '.' or '/' (then always a host path). */
    record Side(String container, String path) {
        static Side parse(String arg) {
            if (!arg.isEmpty() && arg.charAt(0) != '.' && arg.charAt(0) != '/') {
                int colon = arg.indexOf(':');
                if (colon >= 0) {
                    return new Side(arg.substring(0, colon), arg.substring(colon + 1));
                }
            }
            return new Side(null, arg);
        }
    }

    static CopyRequest request(List<String> args, boolean archive, boolean overwrite) {
        if (args.size() != 2) {
            throw Args.usage("berth cp", "accepts 2 arg(s), received " + args.size());
        }
        Side src = Side.parse(args.get(0));
        Side dst = Side.parse(args.get(1));
        if (src.path().isEmpty() || dst.path().isEmpty()) {
            throw invalid(args, "you must specify paths");
        }
        if (src.container() != null && dst.container() != null) {
            throw invalid(args, "copying between two containers is not supported yet: copy through the host");
        }
        if (src.container() == null && dst.container() == null) {
            throw invalid(args, "you must specify one container");
        }
        if (dst.container() != null) {
            return new CopyRequest(dst.container(), dst.path(), src.path(), true, archive, overwrite);
        }
        return new CopyRequest(src.container(), src.path(), dst.path(), false, archive, overwrite);
    }

    private static BerthException invalid(List<String> args, String why) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid arguments " + args.get(0) + ", " + args.get(1) + " " + why);
    }

    static int run(Context ctx, Args a) {
        boolean archive = a.get("archive") == null || a.has("archive");
        ctx.engine().copy(request(a.positional(), archive, a.has("overwrite")), System.in, Commands.STDOUT);
        return 0;
    }
}
