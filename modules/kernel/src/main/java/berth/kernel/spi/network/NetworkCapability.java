package berth.kernel.spi.network;

/**
 * What a network backend offers beyond setting up and tearing down one container's network. The
 * engine checks it before it acts; the network conformance kit checks each declared capability.
 */
public enum NetworkCapability {
    /** Named networks: {@code network create/ls/rm}. */
    NAMED_NETWORKS,
    /** Containers on one network reach each other by address (and by name through /etc/hosts). */
    PEERS,
    /** Publishes container ports on the host ({@code -p}). */
    PORT_PUBLISHING,
    /**
     * A running container joins or leaves one more named network ({@code network connect/disconnect}):
     * {@link NetworkBackend#connect} and {@link NetworkBackend#disconnect}.
     */
    CONNECT
}
