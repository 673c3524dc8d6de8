package dev.parkit.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of this module in a fresh JVM with the parent's class path, and reads the one
 * line it prints that starts with {@value #PREFIX}.
 */
final class ChildJvm {
    static final String PREFIX = "RESULT ";

    private ChildJvm() {}

    /**
     * What a child reported.
     *
     * @param ok the child exited 0 and printed a result line
     * @param wallNanos from starting the child JVM to its exit
     * @param line the result line without its prefix, or the child's last output when it failed
     */
    record Outcome(boolean ok, long wallNanos, String line) {}

    /**
     * Starts the child and waits for it.
     *
     * @param main the class whose {@code main} runs
     * @param jvmOptions options for the child JVM, e.g. a heap size
     * @param args the arguments of {@code main}
     * @param timeoutSeconds how long to wait before killing it
     * @return the outcome
     */
    static Outcome run(Class<?> main, List<String> jvmOptions, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read the output on another thread so a chatty child cannot block on a full pipe.
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(reading the child's output failed: ").append(e).append(')');
            }
        }, "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        long wall = System.nanoTime() - t0;
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        reader.join(5_000);
        String text = out.toString().strip();
        if (!exited) {
            return new Outcome(false, wall, "killed after " + timeoutSeconds + " s; output: " + tail(text));
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(PREFIX) && p.exitValue() == 0) {
                return new Outcome(true, wall, line.substring(PREFIX.length()));
            }
        }
        return new Outcome(false, wall, "exit code " + p.exitValue() + "; output: " + tail(text));
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - 8);
        return String.join(" | ", Arrays.copyOfRange(lines, from, lines.length));
    }
}
