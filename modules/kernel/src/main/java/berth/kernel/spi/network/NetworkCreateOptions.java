package berth.kernel.spi.network;

/**
 * podman's switches of {@code network create} beyond name, subnet and gateway.
 *
 * @param internal no route out of the network ({@code --internal})
 * @param disableDns no name server for the network's containers ({@code --disable-dns})
 */
public record NetworkCreateOptions(boolean internal, boolean disableDns) {
    /** What {@code network create} without those switches asks for. */
    public static final NetworkCreateOptions DEFAULTS = new NetworkCreateOptions(false, false);
}
