package berth.kernel.spi.hook;

import java.util.Set;

/**
 * A hook written in Java, called by the engine at its stages. Throwing fails the stage as a failing
 * OCI hook would: at prestart/createRuntime the container does not start.
 */
public interface InProcessHook {
    String name();

    Set<HookStage> stages();

    void run(HookInvocation invocation) throws Exception;
}
