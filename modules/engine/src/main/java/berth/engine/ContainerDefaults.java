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
 */
public record ContainerDefaults(List<String> ulimits, String seccompProfile) {
    public static final ContainerDefaults NONE = new ContainerDefaults(null, null);

    public ContainerDefaults {
        ulimits = ulimits == null ? null : List.copyOf(ulimits);
    }
}
