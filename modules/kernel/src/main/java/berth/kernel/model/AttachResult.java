package berth.kernel.model;

/** Why an attach ended: the container's output closed, or the user typed the detach keys. */
public enum AttachResult {
    EOF, DETACHED
}
