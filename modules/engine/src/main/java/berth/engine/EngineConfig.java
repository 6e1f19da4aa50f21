package berth.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The engine's immutable configuration: containers.conf merged with command-line overrides.
 *
 * @param root persistent storage root (podman's graph root), default /var/lib/berth
 * @param runRoot volatile run root, default /run/berth
 * @param staticDir where state backends keep their files, default ROOT/libpod
 * @param tmpDir volatile engine files (exit files, locks), default RUNROOT/libpod
 * @param runtime the default OCI runtime's name
 * @param runtimePaths configured binary paths per runtime name ({@code [engine.runtimes]})
 * @param stateBackend the state backend's id ({@code database_backend})
 * @param defaultNetwork the network mode for containers that name none (podman's {@code [containers] netns})
 * @param pluginDirs extra directories of plugin jars, loaded into a module layer of their own
 * @param engineOptions the {@code [engine]} table, every value as a list of strings, for the runtimes
 * @param networkOptions the {@code [network]} table (lists joined with commas), for the network backends
 * @param imageStore the image store plugin's id ({@code [storage] image_store}); null for the only one found
 * @param storageOptions the {@code [storage]} table's other settings ({@code driver}, ...), for the image store
 * @param registriesConf registries.conf files in the order read: {@code CONTAINERS_REGISTRIES_CONF}, else
 *        /etc/containers/registries.conf and its registries.conf.d drop-ins
 * @param pullPolicy {@code [engine] pull_policy}: always, missing (the default) or never
 * @param volumePath where named volumes live ({@code [engine] volume_path}), default ROOT/volumes
 * @param containerDefaults the {@code [containers]} settings every new container starts from
 */
public record EngineConfig(
        Path root,
        Path runRoot,
        Path staticDir,
        Path tmpDir,
        String runtime,
        Map<String, List<String>> runtimePaths,
        List<String> conmonPaths,
        String stateBackend,
        String logLevel,
        List<String> hooksDirs,
        String defaultNetwork,
        Path networkConfigDir,
        List<String> cniPluginDirs,
        List<Path> pluginDirs,
        Map<String, String> stateOptions,
        Map<String, List<String>> engineOptions,
        Map<String, String> networkOptions,
        Path configFile,
        String imageStore,
        Map<String, String> storageOptions,
        List<Path> registriesConf,
        String pullPolicy,
        Path volumePath,
        ContainerDefaults containerDefaults) {

    public EngineConfig {
        runtimePaths = Map.copyOf(runtimePaths);
        conmonPaths = List.copyOf(conmonPaths);
        hooksDirs = List.copyOf(hooksDirs);
        cniPluginDirs = List.copyOf(cniPluginDirs);
        pluginDirs = List.copyOf(pluginDirs);
        stateOptions = Map.copyOf(stateOptions);
        engineOptions = Map.copyOf(engineOptions);
        networkOptions = Map.copyOf(networkOptions);
        storageOptions = Map.copyOf(storageOptions);
        registriesConf = List.copyOf(registriesConf);
        containerDefaults = containerDefaults == null ? ContainerDefaults.NONE : containerDefaults;
    }
}
