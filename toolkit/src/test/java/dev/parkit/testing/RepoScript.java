package dev.parkit.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the repository's scripts for a test (e.g. {@code scripts/spark-cluster}, which the
 * Spark and Connect modules' tests start their clusters with), from a module's directory or
 * {@code PARKIT_ROOT}.
 */
public final class RepoScript {
    /** The repository's root: {@code PARKIT_ROOT}, or the parent of the module the test runs in. */
    public static final Path ROOT = Path.of(System.getenv().getOrDefault("PARKIT_ROOT", "..")).toAbsolutePath()
            .normalize();

    private RepoScript() {}

    /**
     * Runs {@code script} with {@code args}, its standard error passed through, waiting at most 300 s.
     *
     * @param script the script's path from the root, e.g. {@code "scripts/spark-cluster"}
     * @param env variables to set for it
     * @return the lines it printed on standard output
     * @throws IllegalStateException if it fails or takes longer, with what it printed
     */
    public static List<String> run(String script, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().toList();
        }
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException(script + " " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
