package berth.kernel.spi.runtime;

/** The result of creating a container in the runtime: its init PID and its monitor's PID (0 if none). */
public record Created(int pid, int monitorPid) {
}
