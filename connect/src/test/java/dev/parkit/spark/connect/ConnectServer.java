package dev.parkit.spark.connect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark Connect server over a real standalone cluster for the tests:
 * {@code scripts/spark-cluster start --connect} with its state in {@code target/}, stopped by
 * {@code scripts/spark-cluster stop} (by process group). {@code PARKIT_CONNECT_URL=sc://...}
 * uses a running server instead, and leaves it running.
 */
public final class ConnectServer implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("PARKIT_ROOT", "..")).toAbsolutePath().normalize();
    private static final Path STATE = ROOT.resolve("connect/target/spark-cluster");

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
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("scripts/spark-cluster").toString()));
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
