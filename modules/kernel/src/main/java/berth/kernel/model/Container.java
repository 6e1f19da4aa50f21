package berth.kernel.model;

import berth.kernel.json.JsonObject;
import berth.kernel.json.JsonWritable;

/** A container record as the state store keeps it: configuration plus state. */
public record Container(ContainerConfig config, ContainerState state) implements JsonWritable {
    public String id() {
        return config.id();
    }

    public String name() {
        return config.name();
    }

    public ContainerStatus status() {
        return state.status();
    }

    public Container withState(ContainerState s) {
        return new Container(config, s);
    }

    @Override
    public Object toJson() {
        return new JsonObject().put("config", config.toJson()).put("state", state.toJson()).asMap();
    }

    public static Container fromJson(JsonObject o) {
        JsonObject c = o.obj("config");
        JsonObject s = o.obj("state");
        if (c == null || s == null || c.str("id") == null) {
            throw new IllegalArgumentException("container record lacks config, state or id");
        }
        return new Container(ContainerConfig.fromJson(c), ContainerState.fromJson(s));
    }
}
