package berth.api.docker;

import berth.engine.Engine;

/** {@code /containers/{id}/archive}: GET, HEAD and PUT (for {@code docker cp}). */
final class ArchiveRoutes {
    private final Engine engine;

    ArchiveRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(Router r) {
        // filled in below
    }
}
