package berth.cli;

import berth.engine.Engine;
import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code berth system service}: loads the Docker API module ({@code berth.api.docker}, with Jetty) in a
 * module layer of its own over the boot layer, from {@code lib/api} beside berth's own jars. The boot
 * layer's module path is {@code lib} alone, so no other command scans, resolves or loads any of it.
 */
final class ApiService {
    static final String DEFAULT_URI = "unix:///run/berth/berth.sock";
    private static final String MODULE = "berth.api.docker";

    private ApiService() {
    }

    static int run(Context ctx, Args a) {
        String uri = a.positional().isEmpty() ? DEFAULT_URI : a.positional().get(0);
        long idle;
        try {
            idle = a.get("time") == null ? 5 : Long.parseLong(a.get("time"));
        } catch (NumberFormatException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid --time " + a.get("time") + ": a number of seconds");
        }
        Engine engine = ctx.engine();
        Method serve = entryPoint();
        Consumer<String> messages = m -> System.err.println(m);
        try {
            Object rc = serve.invoke(null, engine, uri, idle, messages);
            return (Integer) rc;
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new BerthException(ErrorCode.INTERNAL, "the API service failed: " + t);
        } catch (IllegalAccessException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot call the API service: " + e.getMessage());
        }
    }

    private static Method entryPoint() {
        ModuleLayer boot = ModuleLayer.boot();
        ModuleLayer layer = boot;
        if (boot.findModule(MODULE).isEmpty()) {
            Path lib = libDir();
            // modules of the boot layer (the engine, slf4j) win: the finder only adds what is missing,
            // from lib/api (where the distribution keeps the API and Jetty) and lib
            Configuration cf = boot.configuration().resolve(ModuleFinder.of(), ModuleFinder.of(lib.resolve("api"), lib), Set.of(MODULE));
            layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        }
        try {
            Module m = layer.findModule(MODULE).orElseThrow();
            Class<?> server = Class.forName(m, "berth.api.docker.DockerApiServer");
            return server.getMethod("serve", Engine.class, String.class, long.class, Consumer.class);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new BerthException(ErrorCode.INTERNAL, "the Docker API module is unusable: " + e);
        }
    }

    /** The directory of berth's own jars (where berth.cli came from). */
    private static Path libDir() {
        return ModuleLayer.boot().configuration().findModule("berth.cli")
                .flatMap(m -> m.reference().location())
                .map(u -> Path.of(u).getParent())
                .orElseThrow(() -> new BerthException(ErrorCode.INTERNAL, "cannot find berth's lib directory"));
    }

}
