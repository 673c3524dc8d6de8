package dev.parkit.spark.testing;

import dev.parkit.testing.RepoScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster (a master and a worker of 2 cores, whose executors are JVMs of
 * their own) for the tests: {@code scripts/spark-cluster start} with its state in
 * {@code spark/target/}, so it never meets a cluster a user started, and watching this JVM, so it
 * stops itself should this JVM end without closing it; {@link #close()} stops it by
 * {@code scripts/spark-cluster stop} (by process group).
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Path STATE = RepoScript.ROOT.resolve("spark/target/spark-cluster");

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
        return RepoScript.run("scripts/spark-cluster", Map.of("PARKIT_SPARK_STATE", STATE.toString()), args);
    }
}
