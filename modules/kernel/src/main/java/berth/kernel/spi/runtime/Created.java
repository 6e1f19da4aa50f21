package berth.kernel.spi.runtime;

/**
 * The result of creating a container in the runtime: its init PID and the PID of whatever the runtime
 * left watching it (a monitor, a shim; 0 if none). The engine keeps both in the container's state
 * and hands them back in every {@link RuntimeContainer}.
 */
public record Created(int pid, int monitorPid) {
}
