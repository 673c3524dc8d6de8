package dev.parkit.spark.connect;

import dev.parkit.testing.RepoScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Spark Connect server over a real standalone cluster for the tests:
 * {@code scripts/spark-cluster start --connect} with its state in {@code target/}, stopped by
 * {@code scripts/spark-cluster stop} (by process group). {@code PARKIT_CONNECT_URL=sc://...}
 * uses a running server instead, and leaves it running.
 */
public final class ConnectServer implements AutoCloseable {
    private static final Path STATE = RepoScript.ROOT.resolve("connect/target/spark-cluster");

    public final String url;
    private final boolean started;

    private ConnectServer(String url, boolean started) {
        this.url = url;
        this.started = started;
    }

    public static ConnectServer start() throws IOException, InterruptedException {
        String given = System.getenv("PARKIT_CONNECT_URL");
        if (given != null && !given.isBlank()) {
            return new ConnectServer(given, false);
        }
        List<String> lines = script("start", "--connect");
        return new ConnectServer(lines.get(lines.size() - 1), true);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (started) {
            script("stop");
        }
    }

    private static List<String> script(String... args) throws IOException, InterruptedException {
        return RepoScript.run("scripts/spark-cluster", Map.of("PARKIT_SPARK_STATE", STATE.toString()), args);
    }
}
