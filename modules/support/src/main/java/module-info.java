/**
 * What the engine and the plugins share and would otherwise each write again: cross-process file
 * locks ({@link berth.support.FileLocks}), atomic and durable file replacement
 * ({@link berth.support.AtomicFiles}), running a helper command ({@link berth.support.Subprocess}),
 * recursive deletion ({@link berth.support.FileTrees}), waiting for the helpers a killed berth left
 * running ({@link berth.support.Stragglers}), random bytes without SecureRandom's start-up
 * cost ({@link berth.support.RandomBytes}) and name and ID checks
 * ({@link berth.support.Names}), and a TOML reader for configuration files ({@link berth.support.toml.Toml},
 * ours so that reading containers.conf loads a handful of classes, not jackson's hundreds). It depends on the kernel (for its typed errors) and the JDK only:
 * it is on the CLI's start-up path, so it keeps few classes and does no work at class
 * initialisation. Every failure is a {@link berth.kernel.error.BerthException}.
 */
module berth.support {
    requires transitive berth.kernel;

    exports berth.support;
    exports berth.support.toml;
}
