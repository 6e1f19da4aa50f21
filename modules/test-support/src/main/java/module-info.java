/** Helpers for berth's own test suites (processes, network namespaces, ports, fuzz budgets); never shipped. */
module berth.testsupport {
    requires transitive org.junit.jupiter.api;
    requires static net.jqwik.api; // Fuzz only; the suites that fuzz bring jqwik themselves

    exports berth.testsupport;
}
