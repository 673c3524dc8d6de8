package dev.parkit.spark.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster (a master and a worker of 2 cores, whose executors are JVMs of
 * their own) for the tests: {@code scripts/spark-cluster start} with its state in
 * {@code spark/target/}, so it never meets a cluster a user started, and watching this JVM, so it
 * stops itself should this JVM end without closing it; {@link #close()} stops it by
 * {@code scripts/spark-cluster stop} (by process group).
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("PARKIT_ROOT", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("spark/target/spark-cluster");

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public final String url;

    private StandaloneCluster(String url) {
        this.url = url;
    }

    /**
     * Starts the cluster and waits until its worker has registered.
     *
     * @return the running cluster
     * @throws IllegalStateException if the script fails, with what it printed
     */
    public static StandaloneCluster start() throws IOException, InterruptedException {
        List<String> lines = script("start", "--watch", Long.toString(ProcessHandle.current().pid()));
        return new StandaloneCluster(lines.get(lines.size() - 1));
    }

    /** Stops the cluster; its applications' executors end with the worker. */
    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }

    private static List<String> script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("scripts/spark-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PARKIT_SPARK_STATE", STATE.toString());
        Process p = pb.start();
        List<String> out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().toList();
        }
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("scripts/spark-cluster " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
