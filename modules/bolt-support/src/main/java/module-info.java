/**
 * bbolt databases in pure Java: go.etcd.io/bbolt's on-disk format (pages, B+tree nodes, freelist,
 * two meta pages) with its flock(2) discipline, so berth shares files with Go programs. Used by the
 * boltdb state plugin (podman's bolt_state.db) and the netavark network plugin (podman's ipam.db).
 * JNA is loaded only when a database is opened.
 */
module berth.bolt.support {
    requires berth.kernel;
    requires com.sun.jna;

    exports berth.bolt.db;

    // JNA direct mapping binds the native methods of this package reflectively.
    opens berth.bolt.nativeio to com.sun.jna;
}
