/** Placeholder until this plugin lands. */
module berth.runtime.runsc {
    requires berth.kernel;
}
