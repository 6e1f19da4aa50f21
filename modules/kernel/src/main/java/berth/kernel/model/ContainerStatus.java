package berth.kernel.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a container (seed 000 / libpod define.ContainerStatus) and which states each may
 * move to. The engine checks every transition against {@link #canMoveTo}.
 */
public enum ContainerStatus {
    /** State could not be determined. */
    UNKNOWN("unknown"),
    /** Exists in the state store, not in the runtime. */
    CONFIGURED("created"),
    /** Created in the OCI runtime, not started. */
    CREATED("created"),
    RUNNING("running"),
    /** Exited, still present in the runtime. */
    STOPPED("exited"),
    PAUSED("paused"),
    /** Exited and removed from the runtime. */
    EXITED("exited"),
    REMOVING("removing"),
    STOPPING("stopping");

    private final String display;

    ContainerStatus(String display) {
        this.display = display;
    }

    /** The word `ps` shows, as podman does ("created", "exited"...). */
    public String display() {
        return display;
    }

    /** libpod's internal name, e.g. "configured", "stopped". */
    public String internalName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ContainerStatus parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    public boolean isRunningOrPaused() {
        return this == RUNNING || this == PAUSED;
    }

    /** Its process may still be alive: running, paused, or being stopped (so an exit file may come). */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == STOPPING;
    }

    /** States from which the container can be started (seed 000 prepareToStart). */
    public boolean canStart() {
        return this == CONFIGURED || this == CREATED || this == STOPPED || this == EXITED;
    }

    public boolean canMoveTo(ContainerStatus next) {
        return allowedNext().contains(next);
    }

    private Set<ContainerStatus> allowedNext() {
        switch (this) {
            case CONFIGURED:
                return EnumSet.of(CREATED, REMOVING, EXITED, CONFIGURED);
            case CREATED:
                return EnumSet.of(RUNNING, CONFIGURED, STOPPED, REMOVING, EXITED, CREATED);
            case RUNNING:
                return EnumSet.of(PAUSED, STOPPING, STOPPED, EXITED, REMOVING, RUNNING);
            case PAUSED:
                return EnumSet.of(RUNNING, STOPPING, STOPPED, REMOVING);
            case STOPPING:
                return EnumSet.of(STOPPED, EXITED, RUNNING, STOPPING);
            case STOPPED:
                return EnumSet.of(EXITED, CREATED, CONFIGURED, RUNNING, REMOVING, STOPPED);
            case EXITED:
                return EnumSet.of(CREATED, CONFIGURED, RUNNING, REMOVING, EXITED);
            case REMOVING:
                return EnumSet.of(REMOVING);
            default:
                return EnumSet.allOf(ContainerStatus.class);
        }
    }
}
