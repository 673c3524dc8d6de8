package dev.parkit.display;

import java.util.Map;
import java.util.Objects;

/**
 * One line of live output redrawn in place, such as a progress bar: the sink that owns how a
 * redraw is done. In a notebook it is a display shown once and then updated by its id; in a
 * terminal it is a {@code '\r'} line, padded with spaces when the text gets shorter (a
 * {@code '\r'} does not erase), that ends with a line break when it is drawn for the last time.
 *
 * <p>Not thread-safe: one thread draws (the progress bar draws under its own lock).
 */
public final class LiveLine {
    private final Display display;
    private String id;
    private int lastLength;

    /** @param display where the line is shown */
    public LiveLine(Display display) {
        this.display = Objects.requireNonNull(display, "display must not be null");
    }

    /**
     * Draws the line, the first time or again.
     *
     * @param html the line as HTML, for a notebook
     * @param text the line as plain text, without line breaks
     * @param last true for the final drawing
     */
    public void draw(String html, String text, boolean last) {
        if (display.isNotebook()) {
            Map<String, Object> bundle = Map.of("text/html", html, "text/plain", text);
            if (id == null) {
                id = display.show(bundle);
            } else {
                display.update(id, bundle);
            }
        } else {
            int pad = Math.max(0, lastLength - text.length());
            lastLength = text.length();
            display.print("\r" + text + " ".repeat(pad) + (last ? "\n" : ""));
        }
    }
}
