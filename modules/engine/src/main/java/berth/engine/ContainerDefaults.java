package berth.engine;

import java.util.List;

/**
 * What containers.conf's {@code [containers]} table says about every new container.
 *
 * @param ulimits {@code default_ulimits} in podman's syntax ({@code nofile=1024:2048}); null when no
 *        file sets them (berth's own limits then apply)
 * @param seccompProfile {@code seccomp_profile}: a profile file, or {@code unconfined}; null for
 *        podman's default ({@code /etc/containers/seccomp.json}, else
 *        {@code /usr/share/containers/seccomp.json}, else none)
 * @param baseHostsFile {@code base_hosts_file}: the file a container's /etc/hosts starts from; null or
 *        empty for the host's /etc/hosts, {@code none} for none, {@code image} for the image's
 * @param hostContainersInternalIp {@code host_containers_internal_ip}: the address of
 *        {@code host.containers.internal}; null or empty to choose one as podman does, {@code none} for no entry
 */
public record ContainerDefaults(List<String> ulimits, String seccompProfile, String baseHostsFile, String hostContainersInternalIp) {
    public static final ContainerDefaults NONE = new ContainerDefaults(null, null, null, null);

    public ContainerDefaults {
        ulimits = ulimits == null ? null : List.copyOf(ulimits);
    }
}
