package berth.kernel.model;

import berth.kernel.error.BerthException;
import berth.kernel.error.ErrorCode;

/** A restart policy: {@code no}, {@code on-failure[:N]}, {@code always}, {@code unless-stopped}. */
public record RestartPolicy(Kind kind, int maxRetries) {
    public enum Kind {
        NO("no"), ON_FAILURE("on-failure"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static final RestartPolicy NO = new RestartPolicy(Kind.NO, 0);

    public RestartPolicy {
        if (maxRetries < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "restart retries must not be negative");
        }
        if (maxRetries > 0 && kind != Kind.ON_FAILURE) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "restart policy " + kind.text + " takes no retry count");
        }
    }

    public static RestartPolicy parse(String s) {
        if (s == null || s.isEmpty() || s.equals("no")) {
            return NO;
        }
        String name = s;
        int retries = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            String count = s.substring(colon + 1);
            try {
                // ASCII digits only: Integer.parseInt takes "+3" and other scripts' digits ("٣") too
                if (count.isEmpty() || !count.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new NumberFormatException(count);
                }
                retries = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid restart policy retry count in \"" + s + "\"");
            }
        }
        for (Kind k : Kind.values()) {
            if (k.text.equals(name)) {
                if (retries > 0 && k != Kind.ON_FAILURE) {
                    throw new BerthException(ErrorCode.INVALID_ARGUMENT, "invalid restart policy \"" + s + "\": only on-failure takes a retry count");
                }
                return new RestartPolicy(k, retries);
            }
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                "invalid restart policy \"" + s + "\": must be no, on-failure[:N], always or unless-stopped");
    }

    @Override
    public String toString() {
        return kind == Kind.ON_FAILURE && maxRetries > 0 ? kind.text + ":" + maxRetries : kind.text;
    }
}
