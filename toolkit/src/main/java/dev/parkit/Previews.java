package dev.parkit;

import java.util.Arrays;

/** Short, single-line forms of item values for error messages. */
final class Previews {
    static final int MAX = 60;

    private Previews() {}

    static String of(Object value) {
        String s;
        try {
            if (value == null) {
                s = "null";
            } else if (value instanceof CharSequence) {
                s = "\"" + value + "\"";
            } else if (value.getClass().isArray()) {
                s = Arrays.deepToString(new Object[] {value});
                s = s.substring(1, s.length() - 1);
            } else {
                s = String.valueOf(value);
            }
        } catch (RuntimeException e) {
            s = value.getClass().getName() + " (toString threw " + e.getClass().getSimpleName() + ")";
        }
        s = s.replace('\n', ' ').replace('\r', ' ');
        return s.length() <= MAX ? s : s.substring(0, MAX - 3) + "...";
    }

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
