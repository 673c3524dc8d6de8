package dev.parkit.spark.testing;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * Notebook cells in a test: a JShell that runs in this JVM (its "local" execution engine), so the
 * values its snippets make, such as a lambda typed into a cell, can be handed to the test with
 * {@code Cells.hand("f", f);}. Its classes are real snippet classes ({@code REPL.$JShell$N}), with
 * their bytes served by JShell's own loader, as in a kernel.
 */
public final class Cells implements AutoCloseable {
    private static final Map<String, Object> HANDED = new ConcurrentHashMap<>();

    private final JShell shell;

    public Cells() {
        shell = JShell.builder().executionEngine("local").build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            shell.addToClasspath(entry);
        }
        run("import dev.parkit.*;", "import static dev.parkit.Par.*;");
    }

    /** Called from a cell: hands {@code value} to the test under {@code name}. */
    public static void hand(String name, Object value) {
        HANDED.put(name, value);
    }

    /** Runs each source as a cell; fails naming the cell and what JShell said. */
    public Cells run(String... cells) {
        for (String cell : cells) {
            List<SnippetEvent> events = shell.eval(cell);
            for (SnippetEvent e : events) {
                if (e.exception() != null) {
                    throw new AssertionError("cell threw: " + cell, e.exception());
                }
                if (e.status() == Snippet.Status.REJECTED) {
                    StringBuilder why = new StringBuilder();
                    shell.diagnostics(e.snippet()).forEach(d -> why.append(d.getMessage(null)).append('\n'));
                    throw new AssertionError("cell rejected: " + cell + "\n" + why);
                }
            }
        }
        return this;
    }

    /** Runs {@code expression} in a cell and returns its value, handed over. */
    @SuppressWarnings("unchecked")
    public <V> V value(String expression) {
        HANDED.remove("value");
        run("dev.parkit.spark.testing.Cells.hand(\"value\", " + expression + ");");
        return (V) HANDED.get("value");
    }

    @Override
    public void close() {
        shell.close();
    }
}
