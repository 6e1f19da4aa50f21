/** Placeholder until this plugin lands. */
module berth.state.testkit {
    requires berth.kernel;
}
