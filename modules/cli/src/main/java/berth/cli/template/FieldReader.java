package berth.cli.template;

import berth.cli.template.Node.Arg;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code .A.B.C} from a value as Go's evalField does: a map's key (missing: "no value", or an
 * error with missingkey=error), a record's component or a bean's getter (missing: an error), and
 * Go's messages for a field of nil or of a string.
 */
final class FieldReader {
    private final ErrorContext ctx;
    private final boolean missingKeyIsError;

    FieldReader(ErrorContext ctx, boolean missingKeyIsError) {
        this.ctx = ctx;
        this.missingKeyIsError = missingKeyIsError;
    }

    Object chain(Object receiver, Arg node, List<String> names, boolean hasArgs) throws TemplateException {
        Object v = receiver;
        String goType = null;
        for (int i = 0; i < names.size(); i++) {
            Object from = v;
            v = field(v, names.get(i), node, hasArgs && i == names.size() - 1, goType);
            // a map's values are interface{} to Go: errors about them name that type, not the value's
            goType = from instanceof Map ? "interface {}" : declaredType(from, names.get(i));
        }
        return v;
    }

    /** The Go name of an accessor's declared type (List<String> is []string), for error messages. */
    private static String declaredType(Object receiver, String name) {
        if (receiver == null || receiver instanceof String || receiver instanceof Number || receiver instanceof Boolean) {
            return null;
        }
        Optional<Method> m = Accessors.find(receiver.getClass(), name);
        return m.isPresent() ? Values.goTypeName(m.get().getGenericReturnType()) : null;
    }

    private Object field(Object receiver, String name, Arg node, boolean hasArgs, String goType) throws TemplateException {
        if (receiver == Values.NO_VALUE) {
            if (missingKeyIsError) {
                throw error(node, "nil data; no entry for key \"" + name + "\"");
            }
            return Values.NO_VALUE;
        }
        if (receiver == null) {
            throw error(node, "nil pointer evaluating interface {}." + name);
        }
        if (receiver instanceof Map<?, ?> m) {
            if (hasArgs) {
                throw error(node, name + " is not a method but has arguments");
            }
            Object v = m.get(name);
            if (v instanceof Optional<?> o) {
                return o.orElse(null);
            }
            if (v == null && !m.containsKey(name)) {
                if (missingKeyIsError) {
                    throw error(node, "map has no entry for key \"" + name + "\"");
                }
                return Values.NO_VALUE;
            }
            return v;
        }
        if (receiver instanceof Optional<?> o) {
            return field(o.orElse(null), name, node, hasArgs, goType);
        }
        if (!(receiver instanceof String) && !(receiver instanceof Number) && !(receiver instanceof Boolean) && !Values.isList(receiver)) {
            Optional<Method> m = Accessors.find(receiver.getClass(), name);
            if (m.isPresent()) {
                if (hasArgs) {
                    throw error(node, name + " has arguments but cannot be invoked as function");
                }
                try {
                    Object v = m.get().invoke(receiver);
                    // an absent Optional is Go's nil pointer, a present one its value
                    return v instanceof Optional<?> o ? o.orElse(null) : v;
                } catch (InvocationTargetException e) {
                    throw error(node, "error calling " + name + ": " + e.getCause());
                } catch (IllegalAccessException e) {
                    throw error(node, name + " is an unexported field of struct type " + Values.typeName(receiver));
                }
            }
        }
        throw error(node, "can't evaluate field " + name + " in type " + (goType != null ? goType : Values.typeName(receiver)));
    }

    private TemplateException error(Arg node, String message) {
        return ctx.execError(node.pos(), NodeText.of(node), message);
    }
}
