package berth.kernel.spi.hook;

import java.util.Set;

/**
 * A hook written in Java, called by the engine at its stages: {@code PRESTART} and
 * {@code CREATE_RUNTIME} once config.json is written, before the runtime creates the container (so
 * before the runtime runs the OCI hooks of those stages); {@code CREATE_CONTAINER} once the runtime
 * has created it (its pid is known, it has not started); {@code START_CONTAINER} just before the
 * runtime starts it; {@code POSTSTART} after the start; {@code POSTSTOP} after the runtime has deleted
 * it, with its exit code. Hooks of a stage are called in provider order, then in the order their
 * provider gave them.
 *
 * <p>Throwing fails the stage as a failing OCI hook would: up to {@code START_CONTAINER} the container
 * does not start and the error names the hook; at {@code POSTSTART} and {@code POSTSTOP} it is shown
 * as a warning and the other hooks still run.
 */
public interface InProcessHook {
    String name();

    Set<HookStage> stages();

    void run(HookInvocation invocation) throws Exception;
}
