package berth.kernel.model;

/** Resource limits; 0 means unlimited. */
public record Resources(long memoryBytes, long nanoCpus, long pidsLimit) {
    public static final Resources NONE = new Resources(0, 0, 0);

    public boolean isEmpty() {
        return memoryBytes == 0 && nanoCpus == 0 && pidsLimit == 0;
    }
}
