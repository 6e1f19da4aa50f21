package berth.engine.internal;

import org.junit.jupiter.api.Test;

/** Files that {@link ConfigLoaderFuzzTest} once found failing, checked as plain JUnit regressions. */
class ConfigLoaderCorpusTest {
    @Test
    void placeholder() {
    }
}
