package dev.parkit.spark.testing;

import dev.parkit.display.Display;
import java.util.Map;

/** A terminal display that keeps what a progress bar printed, for asserting its last line. */
public final class Printed implements Display {
    private final StringBuilder text = new StringBuilder();

    @Override
    public boolean isNotebook() {
        return false;
    }

    @Override
    public String show(Map<String, Object> bundle) {
        throw new UnsupportedOperationException("a terminal display shows nothing");
    }

    @Override
    public void update(String id, Map<String, Object> bundle) {
        throw new UnsupportedOperationException("a terminal display updates nothing");
    }

    @Override
    public synchronized void print(String text) {
        this.text.append(text);
    }

    /** @return everything printed */
    public synchronized String all() {
        return text.toString();
    }

    /** @return the last line drawn, trimmed, with its rate ({@code 12.3 it/s}) as {@code R} */
    public synchronized String lastLine() {
        String[] drawings = text.toString().split("[\r\n]+");
        String last = drawings.length == 0 ? "" : drawings[drawings.length - 1];
        return last.strip().replaceAll("([0-9.]+|\\?) (it/s|s/it)", "R");
    }
}
