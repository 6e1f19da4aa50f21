package berth.kernel.archfixture;

/**
 * A deliberate violation for ArchitectureTest: a "kernel" class that reaches into the engine. It
 * lives only in the test sources and shows the rules fail when broken.
 */
public final class KernelClassThatUsesTheEngine {
    public String engineName() {
        return berth.engine.Engine.class.getName();
    }

    public void print() {
        System.out.println("kernel code must not print");
    }
}
