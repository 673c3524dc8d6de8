package dev.parkit.util;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Short, safe, single-line text for messages: item previews, exception descriptions and HTML
 * escaping, the one copy every message of ParKit uses.
 *
 * <p>Reporting one failure must never raise another: a preview is built without ever holding
 * more than a few hundred characters (a 100 MB array or a huge collection is walked, not
 * printed), and any {@link Throwable} from a {@code toString()} or {@code getMessage()} (even a
 * {@link StackOverflowError}) is caught and named instead.
 */
public final class Text {
    /** Longest item preview. */
    public static final int MAX_PREVIEW = 60;
    /** Longest exception description. */
    public static final int MAX_ERROR = 300;
    private static final int MAX_ELEMENTS = 16;

    private Text() {}

    /**
     * A value with a one-line form of its own for messages, used instead of its {@code toString}
     * (a table's row, whose {@code toString} prints a table).
     */
    public interface Previewable {
        /** @return a one-line preview; it is cut to {@link #MAX_PREVIEW} characters */
        String preview();
    }

    /**
     * @param value any value
     * @return a one-line preview, at most {@link #MAX_PREVIEW} characters: strings quoted, arrays
     *     and collections by content, long text cut with {@code ...}
     */
    public static String preview(Object value) {
        StringBuilder b = new StringBuilder();
        try {
            append(b, value, 0);
        } catch (Throwable e) {
            // Not cut: the type names are what the reader needs, and they are short enough.
            return typeName(value) + " (toString threw " + typeName(e) + ")";
        }
        return cut(b, MAX_PREVIEW);
    }

    /**
     * @param e an exception
     * @return {@code java.lang.ArithmeticException: / by zero}, at most {@link #MAX_ERROR}
     *     characters, on one line
     */
    public static String describe(Throwable e) {
        if (e == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(e.getClass().getName());
        try {
            String m = e.getLocalizedMessage();
            if (m != null) {
                b.append(": ").append(m, 0, Math.min(m.length(), MAX_ERROR + 1));
            }
        } catch (Throwable t) {
            b.append(" (its message threw ").append(typeName(t)).append(')');
        }
        return cut(b, MAX_ERROR);
    }

    /**
     * @param text any text
     * @return the text with {@code & < > " '} escaped for HTML element content and attributes
     */
    public static String html(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static void append(StringBuilder b, Object v, int depth) {
        if (b.length() > MAX_PREVIEW) {
            return;
        }
        if (v == null) {
            b.append("null");
        } else if (v instanceof CharSequence s) {
            b.append('"').append(s, 0, Math.min(s.length(), MAX_PREVIEW + 1)).append('"');
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            b.append('[');
            for (int i = 0; i < n && i < MAX_ELEMENTS && b.length() <= MAX_PREVIEW; i++) {
                if (i > 0) {
                    b.append(", ");
                }
                element(b, Array.get(v, i), depth);
            }
            b.append(n > MAX_ELEMENTS ? ", ...]" : "]");
        } else if (v instanceof Collection<?> c) {
            iterable(b, c.iterator(), '[', ']', depth);
        } else if (v instanceof Map<?, ?> m) {
            iterable(b, m.entrySet().iterator(), '{', '}', depth);
        } else if (v instanceof Previewable p) {
            String s = p.preview();
            b.append(s, 0, Math.min(s.length(), MAX_PREVIEW + 1));
        } else {
            String s = String.valueOf(v);
            b.append(s, 0, Math.min(s.length(), MAX_PREVIEW + 1));
        }
    }

    private static void iterable(StringBuilder b, Iterator<?> it, char open, char close, int depth) {
        b.append(open);
        for (int i = 0; it.hasNext() && b.length() <= MAX_PREVIEW; i++) {
            if (i > 0) {
                b.append(", ");
            }
            if (i == MAX_ELEMENTS) {
                b.append("...");
                break;
            }
            element(b, it.next(), depth);
        }
        b.append(close);
    }

    private static void element(StringBuilder b, Object e, int depth) {
        if (depth >= 3) {
            b.append("...");
        } else {
            append(b, e, depth + 1);
        }
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getName();
    }

    private static String cut(StringBuilder b, int max) {
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c == '\n' || c == '\r') {
                b.setCharAt(i, ' ');
            }
        }
        return b.length() <= max ? b.toString() : b.substring(0, max - 3) + "...";
    }
}
