/**
 * OCI hook files (oci-hooks(5), schema {@code 1.0.0}) from hooks directories, as podman injects
 * them. Provides {@link berth.kernel.spi.hook.HookProvider} with the id {@code oci-hooks}; exports
 * nothing.
 *
 * <h2>Where hooks come from</h2>
 * The directories are {@link berth.kernel.spi.hook.HookContext#hooksDirs()} (the engine fills them
 * from containers.conf {@code hooks_dir} or {@code --hooks-dir}); when that list is empty,
 * {@code /usr/share/containers/oci/hooks.d} then {@code /etc/containers/oci/hooks.d}. Directories are
 * in increasing preference: a {@code *.json} file masks a file of the same name in an earlier
 * directory. A directory that does not exist is skipped. Files are read on every
 * {@code hooksFor} call, so changes apply to the next container without a restart.
 *
 * <h2>Validation</h2>
 * A file that is not valid (malformed JSON, a version other than {@code 1.0.0}, a missing, relative
 * or non-existent {@code hook.path}, a bad {@code args}/{@code env}/{@code timeout}, a missing or
 * empty {@code when}, an unknown {@code when} key, a regular expression that does not compile, a
 * missing or empty {@code stages}, an unknown stage) is reported, naming the file and the field, and
 * skipped; every other file still loads. As in podman, an invalid file does not mask a valid file of
 * the same name in an earlier directory. Reports are returned in
 * {@link berth.kernel.spi.hook.HookSet#warnings()}, one line per problem
 * ({@code hook file /etc/containers/oci/hooks.d/a.json: hook.path: "/x" does not exist; skipped}),
 * and the engine prints them as warnings.
 *
 * <h2>Selection</h2>
 * As the schema says, a hook is injected when <em>all</em> the conditions set in {@code when} match:
 * {@code always} (true), {@code hasBindMounts} (true, and the container has a mount of type
 * {@code bind}), {@code annotations} (every key/value regex pair matches some annotation, key and
 * value both), {@code commands} (some regex matches the container's {@code command[0]} as
 * configured). Regular expressions are RE2 (RE2/J, linear time: the syntax of podman's Go
 * {@code regexp}) and, as podman's {@code regexp.MatchString}, unanchored: write {@code ^...$} to
 * match a whole string. Matching hooks are ordered by file name (lower-cased, by code point).
 *
 * <h2>Who runs what</h2>
 * Hooks for {@code prestart}, {@code createRuntime}, {@code createContainer},
 * {@code startContainer} and {@code poststart} are returned as
 * {@link berth.kernel.spi.hook.SpecHook}s for the engine to write into config.json; the OCI runtime
 * runs them. {@code poststop} hooks are never returned as SpecHooks: each is an
 * {@link berth.kernel.spi.hook.InProcessHook} with the single stage {@code POSTSTOP}, which the engine
 * calls after the runtime has deleted the container (podman's {@code postDeleteHooks}). It runs the
 * hook process with the OCI state ({@code ociVersion 1.0.2}, {@code status "stopped"},
 * {@code pid 0}, bundle, annotations) on stdin, the hook's env and args (args[0] is argv0), kills it
 * at its timeout, and throws on a non-zero exit. Podman logs a failing poststop hook as a warning
 * and still completes the removal; the engine should do the same with what {@code run} throws.
 */
module berth.hooks.oci {
    requires berth.kernel;
    requires berth.support;
    // re2j 1.8 carries no module name; this is the name derived from its jar file, re2j-1.8.jar.
    requires re2j;

    provides berth.kernel.spi.hook.HookProvider with berth.hooks.oci.OciHooksProvider;
}
