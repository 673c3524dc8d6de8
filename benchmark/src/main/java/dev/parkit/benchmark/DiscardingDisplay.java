package dev.parkit.benchmark;

import dev.parkit.display.Display;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A notebook display that keeps the last HTML it was given and shows nothing: the progress bar
 * renders its HTML as in Jupyter, without a kernel to send it to.
 */
final class DiscardingDisplay implements Display {
    private final AtomicLong drawings = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private volatile String lastHtml = "";

    @Override
    public boolean isNotebook() {
        return true;
    }

    @Override
    public String show(Map<String, Object> bundle) {
        keep(bundle);
        return "bench-" + ids.incrementAndGet();
    }

    @Override
    public void update(String id, Map<String, Object> bundle) {
        keep(bundle);
    }

    @Override
    public void print(String text) {
        // discarded
    }

    private void keep(Map<String, Object> bundle) {
        lastHtml = String.valueOf(bundle.get("text/html"));
        drawings.incrementAndGet();
    }

    /** @return how many times a bar was shown or updated */
    long drawings() {
        return drawings.get();
    }

    /** @return the HTML of the last drawing */
    String lastHtml() {
        return lastHtml;
    }
}
