package berth.engine.events;

/** What happened: podman 4.3.1's event statuses, with their text in the log ({@code died}, {@code exec_died}, ...). */
public enum EventStatus {
    ATTACH("attach"),
    AUTO_UPDATE("auto-update"),
    BUILD("build"),
    CHECKPOINT("checkpoint"),
    CLEANUP("cleanup"),
    COMMIT("commit"),
    COPY("copy"),
    CREATE("create"),
    EXEC("exec"),
    EXEC_DIED("exec_died"),
    DIED("died"),
    EXPORT("export"),
    HEALTH_STATUS("health_status"),
    HISTORY("history"),
    IMPORT("import"),
    INIT("init"),
    KILL("kill"),
    LOAD_FROM_ARCHIVE("loadfromarchive"),
    MOUNT("mount"),
    NETWORK_CONNECT("connect"),
    NETWORK_DISCONNECT("disconnect"),
    PAUSE("pause"),
    PRUNE("prune"),
    PULL("pull"),
    PUSH("push"),
    REFRESH("refresh"),
    REMOVE("remove"),
    RENAME("rename"),
    RENUMBER("renumber"),
    RESTART("restart"),
    RESTORE("restore"),
    LOG_ROTATION("log-rotation"),
    SAVE("save"),
    START("start"),
    STOP("stop"),
    SYNC("sync"),
    TAG("tag"),
    UNMOUNT("unmount"),
    UNPAUSE("unpause"),
    UNTAG("untag");

    private final String text;

    EventStatus(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
