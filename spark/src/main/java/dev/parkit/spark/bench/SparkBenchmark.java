package dev.parkit.spark.bench;

import dev.parkit.Par;
import dev.parkit.spark.Spark;
import dev.parkit.spark.SparkCluster;
import java.util.Arrays;
import java.util.List;

/**
 * What a cluster call costs, next to local ParKit: the Spark section of {@code ./bench --spark}.
 * Prints the application start, the first call (executors starting), the median of warm calls of
 * a trivial function (the per-call overhead), and the throughput of a CPU-bound function on the
 * cluster and on local threads, as a ratio. On one machine the cluster cannot win; the point is
 * its cost.
 *
 * <p>Usage: {@code SparkBenchmark MASTER [--quick]}.
 */
public final class SparkBenchmark {
    private SparkBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SparkBenchmark MASTER [--quick]");
            System.exit(2);
        }
        boolean quick = Arrays.asList(args).contains("--quick") || System.getenv("PARKIT_QUICK") != null;
        int warmCalls = quick ? 5 : 15;
        int items = quick ? 64 : 256;
        long spinNanos = quick ? 20_000_000L : 50_000_000L;

        long t0 = System.nanoTime();
        try (SparkCluster cluster = Spark.spark(args[0])) {
            double start = seconds(t0);
            t0 = System.nanoTime();
            cluster.pmap(x -> x, Par.range(8));
            double first = seconds(t0);
            double[] warm = new double[warmCalls];
            for (int i = 0; i < warmCalls; i++) {
                t0 = System.nanoTime();
                cluster.pmap(x -> x, Par.range(8));
                warm[i] = seconds(t0);
            }
            Arrays.sort(warm);

            cluster.pmap(x -> spin(spinNanos, x), Par.range(4)); // warm the JIT on the executors too
            t0 = System.nanoTime();
            List<Long> remote = cluster.pmap(x -> spin(spinNanos, x), Par.range(items));
            double clusterSeconds = seconds(t0);
            Par.pmap(x -> spin(spinNanos, x), Par.range(4));
            t0 = System.nanoTime();
            List<Long> local = Par.pmap(x -> spin(spinNanos, x), Par.range(items));
            double localSeconds = seconds(t0);

            System.out.printf("Spark (%s, executors %s)%n", args[0], cluster.workerJvms());
            System.out.printf("  application start          %7.2f s%n", start);
            System.out.printf("  first call                 %7.2f s   (executors start)%n", first);
            System.out.printf("  warm call, trivial         %7.0f ms  median of %d (min %.0f, max %.0f)%n",
                    warm[warm.length / 2] * 1000, warmCalls, warm[0] * 1000, warm[warm.length - 1] * 1000);
            System.out.printf("  CPU-bound, %d x %d ms      cluster %.2f s (%.1f items/s), local ParKit %.2f s (%.1f items/s)%n",
                    items, spinNanos / 1_000_000, clusterSeconds, items / clusterSeconds, localSeconds,
                    items / localSeconds);
            System.out.printf("  cluster / local throughput %7.2f   results equal: %b%n",
                    localSeconds / clusterSeconds, remote.equals(local));
        }
    }

    /** About {@code nanos} of CPU on one core; the result depends only on {@code x}. */
    static long spin(long nanos, int x) {
        long end = System.nanoTime() + nanos;
        long acc = x;
        while (System.nanoTime() < end) {
            acc = acc * 6364136223846793005L + 1442695040888963407L;
        }
        return x; // the work is the time; the value must not depend on how many rounds ran
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
