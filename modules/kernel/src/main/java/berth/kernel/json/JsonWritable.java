package berth.kernel.json;

/** A value that renders itself as plain JSON values (maps, lists, strings, numbers). */
public interface JsonWritable {
    Object toJson();
}
