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
 * <p>Then a driver of a 256 MB heap reads an infinite stream through {@code cluster.pimap}
 * ({@link #smallDriver}): the driver's memory stays bounded however many items pass.
 *
 * <p>Usage: {@code SparkBenchmark MASTER [--quick]}; {@code SparkBenchmark MASTER --pimap N} is
 * that small driver's part.
 */
public final class SparkBenchmark {
    private SparkBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SparkBenchmark MASTER [--quick]");
            System.exit(2);
        }
        if (args.length == 3 && args[1].equals("--pimap")) {
            pimapInfinite(args[0], Integer.parseInt(args[2]));
            return;
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
            // Warm calls against the bare Spark job a user would write for the same work, interleaved.
            List<Integer> eight = Par.range(8);
            org.apache.spark.api.java.JavaSparkContext sc = cluster.sparkContext();
            sc.parallelize(eight).map(x -> x + 1).collect();
            double[] warm = new double[warmCalls];
            double[] bare = new double[warmCalls];
            for (int i = 0; i < warmCalls; i++) {
                t0 = System.nanoTime();
                cluster.pmap(x -> x + 1, eight);
                warm[i] = seconds(t0);
                t0 = System.nanoTime();
                sc.parallelize(eight).map(x -> x + 1).collect();
                bare[i] = seconds(t0);
            }
            Arrays.sort(warm);
            Arrays.sort(bare);

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
            System.out.printf("  warm pmap(x -> x + 1, range(8))  %5.0f ms  median of %d (min %.0f, max %.0f)%n",
                    warm[warm.length / 2] * 1000, warmCalls, warm[0] * 1000, warm[warm.length - 1] * 1000);
            System.out.printf("  bare Spark job, same work  %7.0f ms  parallelize(xs).map(f).collect(), default partitions%n",
                    bare[bare.length / 2] * 1000);
            System.out.printf("  warm ParKit / bare Spark   %7.2f%n", warm[warm.length / 2] / bare[bare.length / 2]);
            System.out.printf("  CPU-bound, %d x %d ms      cluster %.2f s (%.1f items/s), local ParKit %.2f s (%.1f items/s)%n",
                    items, spinNanos / 1_000_000, clusterSeconds, items / clusterSeconds, localSeconds,
                    items / localSeconds);
            System.out.printf("  cluster / local throughput %7.2f   results equal: %b%n",
                    localSeconds / clusterSeconds, remote.equals(local));
            interruptDelay(cluster);
        }
        // After this application has ended: a standalone cluster gives its cores to one at a time.
        smallDriver(args[0], quick ? 100_000 : 1_000_000);
    }

    /** The small driver's part: {@code cluster.pimap(x -> x + 1, Stream.iterate(0, i -> i + 1)).limit(n)}. */
    static void pimapInfinite(String master, int n) {
        try (SparkCluster cluster = Spark.spark(master)) {
            long t0 = System.nanoTime();
            long sum;
            try (java.util.stream.Stream<Integer> s = cluster.pimap(x -> x + 1,
                    java.util.stream.Stream.iterate(0, i -> i + 1))) {
                sum = s.limit(n).mapToLong(x -> x).sum();
            }
            long expected = (long) n * (n + 1) / 2;
            System.out.printf("%d items in %.1f s, sum %s%n", n, seconds(t0), sum == expected ? "right" : "WRONG: " + sum);
        }
    }

    /**
     * Runs {@link #pimapInfinite} in a driver JVM of {@code -Xmx256m} and prints the largest heap
     * after a collection there. Spark refuses a driver heap under 450 MB before any call
     * (INVALID_DRIVER_MEMORY); {@code spark.testing.memory} lets its memory manager count 512 MB,
     * which changes nothing of what ParKit holds.
     */
    static void smallDriver(String master, int n) {
        try {
            java.nio.file.Path gc = java.nio.file.Files.createTempFile("parkit-pimap-gc-", ".log");
            try {
                String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-Dspark.testing.memory=536870912",
                        "-Xlog:gc:file=" + gc, "-cp", System.getProperty("java.class.path"),
                        SparkBenchmark.class.getName(), master, "--pimap", Integer.toString(n))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                int exit = p.waitFor();
                long maxAfter = 0;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("->(\\d+)M")
                        .matcher(java.nio.file.Files.readString(gc));
                while (m.find()) {
                    maxAfter = Math.max(maxAfter, Long.parseLong(m.group(1)));
                }
                System.out.printf("  pimap of an infinite stream, driver -Xmx256m: %s; largest heap after a GC %d MB%s%n",
                        out.isEmpty() ? "no output" : out, maxAfter, exit == 0 ? "" : " (exit " + exit + ")");
            } finally {
                java.nio.file.Files.deleteIfExists(gc);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How long after an interrupt items still start on the executors, judged by the executors'
     * own record: each item writes a file named after it holding the wall-clock time it started
     * (executors on this machine share the clock and the file system).
     */
    static void interruptDelay(SparkCluster cluster) {
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("parkit-interrupt-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String where = dir.toString();
        Thread caller = new Thread(() -> {
            try {
                cluster.pmap(x -> {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(where, Integer.toString(x)),
                            Long.toString(System.currentTimeMillis()));
                    spinDeaf(20_000_000L);
                    return x;
                }, Par.range(4000));
            } catch (RuntimeException expected) {
                // the CancellationException of the interrupt
            }
        }, "interrupted-caller");
        caller.start();
        try {
            while (markers(dir).size() < 20) {
                Thread.sleep(10); // a benchmark's poll, not a test's wait
            }
            long interrupted = System.currentTimeMillis();
            caller.interrupt();
            caller.join(10_000);
            long returned = System.currentTimeMillis();
            Thread.sleep(3000);
            List<Long> starts = markers(dir);
            long last = starts.stream().mapToLong(Long::longValue).max().orElse(interrupted);
            long after = starts.stream().filter(t -> t > interrupted).count();
            System.out.printf("  interrupt: call returned after %d ms; last item start %+d ms; %d items started after it"
                    + " (executor markers)%n", returned - interrupted, last - interrupted, after);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Long> markers(java.nio.file.Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.map(f -> {
                try {
                    return Long.parseLong(java.nio.file.Files.readString(f).trim());
                } catch (java.io.IOException | NumberFormatException e) {
                    return 0L; // being written
                }
            }).filter(t -> t > 0).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** About {@code nanos} of CPU, deaf to interrupts. */
    static void spinDeaf(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
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
