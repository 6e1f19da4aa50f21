/** Placeholder until this plugin lands. */
module berth.hooks.oci {
    requires berth.kernel;
}
