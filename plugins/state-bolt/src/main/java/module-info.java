/** Placeholder until this plugin lands. */
module berth.state.bolt {
    requires berth.kernel;
}
