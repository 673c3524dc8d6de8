package dev.parkit.display;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The display of plain JShell, a terminal or a unit test: only {@code text/plain} is shown, on
 * the current {@code System.out}.
 *
 * <p>{@link #show} prints the text as is; {@link #update} prints {@code '\r'} and then the new
 * text, so a one-line progress meter is redrawn in place (the caller pads the text when it gets
 * shorter, since {@code '\r'} does not erase). Bundles without {@code text/plain} print nothing.
 */
final class TerminalDisplay implements Display {

    static final TerminalDisplay INSTANCE = new TerminalDisplay();

    private final AtomicLong lastId = new AtomicLong();

    private TerminalDisplay() {}

    @Override
    public boolean isNotebook() {
        return false;
    }

    @Override
    public String show(Map<String, Object> bundle) {
        Displays.checkBundle(bundle);
        Object text = bundle.get("text/plain");
        if (text != null) {
            print(text.toString());
        }
        return "text-" + lastId.incrementAndGet();
    }

    @Override
    public void update(String id, Map<String, Object> bundle) {
        Displays.checkId(id);
        Displays.checkBundle(bundle);
        Object text = bundle.get("text/plain");
        if (text != null) {
            print("\r" + text);
        }
    }

    @Override
    public void print(String text) {
        printToStdout(text);
    }

    @Override
    public String toString() {
        return "terminal display";
    }

    /** Writes to {@code System.out} as it is now (kernels swap it per cell) and flushes. */
    static void printToStdout(String text) {
        if (text == null) {
            throw new NullPointerException("text must not be null");
        }
        PrintStream out = System.out;
        out.print(text);
        out.flush();
    }
}
