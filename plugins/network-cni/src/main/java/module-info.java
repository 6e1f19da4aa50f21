/** Placeholder until this plugin lands. */
module berth.network.cni {
    requires berth.kernel;
}
