/** Placeholder until this plugin lands. */
module berth.network.slirp4netns {
    requires berth.kernel;
}
