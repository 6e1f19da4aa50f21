/** Helpers for berth's own test suites (processes, network namespaces, ports, fuzz budgets); never shipped. */
module berth.testsupport {
    requires transitive org.junit.jupiter.api;

    exports berth.testsupport;
}
