package berth.kernel.spi.hook;

/** The OCI hook stages, in the order they run for a container (runtime spec, config.md#posix-platform-hooks). */
public enum HookStage {
    PRESTART("prestart"),
    CREATE_RUNTIME("createRuntime"),
    CREATE_CONTAINER("createContainer"),
    START_CONTAINER("startContainer"),
    POSTSTART("poststart"),
    POSTSTOP("poststop");

    private final String specName;

    HookStage(String specName) {
        this.specName = specName;
    }

    /** The name in config.json and hook files. */
    public String specName() {
        return specName;
    }

    public static HookStage fromSpecName(String s) {
        for (HookStage st : values()) {
            if (st.specName.equals(s)) {
                return st;
            }
        }
        throw new IllegalArgumentException("unknown hook stage \"" + s + "\"");
    }
}
