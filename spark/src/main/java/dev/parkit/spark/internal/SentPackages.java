package dev.parkit.spark.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task packages a Spark application has sent, one Spark broadcast per package id, so that a
 * function called again with the same content travels once per cluster, not once per call: each
 * executor fetches a broadcast once and keeps its value.
 *
 * <p>Bounded by bytes: past {@link #BUDGET} the least recently used are forgotten (always keeping
 * the newest). A forgotten broadcast is not destroyed here, since a running call may still use
 * it: Spark's context cleaner removes it from the driver and the executors once no task refers
 * to it. Thread-safe: calls from several threads share it.
 */
public final class SentPackages {
    /** What the driver keeps sent: 256 MB of packages. */
    static final long BUDGET = 256L << 20;

    private final JavaSparkContext spark;
    // Least recently used first; guarded by this, as is bytes.
    private final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private record Sent(Broadcast<TaskPackage> broadcast, long bytes) {}

    /** @param spark the application the packages are sent to */
    public SentPackages(JavaSparkContext spark) {
        this.spark = spark;
    }

    /**
     * The broadcast of {@code pkg}: the one sent before for its id, or a new one.
     *
     * @param pkg the package
     * @return its broadcast
     */
    public synchronized Broadcast<TaskPackage> broadcast(TaskPackage pkg) {
        Sent s = sent.get(pkg.id());
        if (s == null) {
            // Spark's block manager waits on RPCs, which an interrupt would break halfway (leaving
            // a half-stored broadcast, and an InterruptedException thrown unchecked): a caller
            // interrupted before its call is cancelled by the call itself, after this.
            boolean interrupted = Thread.interrupted();
            try {
                s = new Sent(spark.broadcast(pkg), pkg.bytes());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            sent.put(pkg.id(), s);
            bytes += s.bytes();
            Iterator<Sent> oldest = sent.values().iterator();
            while (bytes > BUDGET && sent.size() > 1) {
                bytes -= oldest.next().bytes();
                oldest.remove();
            }
        }
        return s.broadcast();
    }

    /** @return how many packages are kept sent */
    public synchronized int size() {
        return sent.size();
    }
}
