package dev.parkit.display;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces {@code System.out} (or {@code System.err}) until closed, as a kernel does per cell.
 * The stream does not flush by itself, so what {@link #text()} sees was flushed by the code
 * under test.
 */
final class StdoutCapture implements AutoCloseable {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream previous;
    private final boolean err;

    private StdoutCapture(boolean err) {
        this.err = err;
        this.previous = err ? System.err : System.out;
        PrintStream stream = new PrintStream(
                new java.io.BufferedOutputStream(bytes, 8192), false, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(stream);
        } else {
            System.setOut(stream);
        }
    }

    static StdoutCapture out() {
        return new StdoutCapture(false);
    }

    static StdoutCapture err() {
        return new StdoutCapture(true);
    }

    /** What reached the stream so far, without flushing it. */
    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (err) {
            System.setErr(previous);
        } else {
            System.setOut(previous);
        }
    }
}
