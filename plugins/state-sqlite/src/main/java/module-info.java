/** Placeholder until this plugin lands. */
module berth.state.sqlite {
    requires berth.kernel;
}
