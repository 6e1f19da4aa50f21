package berth.kernel.model;

/**
 * One POSIX resource limit of a container's process, as the OCI spec's {@code process.rlimits}
 * holds it: {@code type} is the kernel's name ({@code RLIMIT_NOFILE}).
 */
public record Rlimit(String type, long hard, long soft) {
}
