package dev.parkit.benchmark;

import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.speedup.OtherLoad;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Workload 7: the first {@code pmap} in a fresh JVM, as in a fresh notebook kernel. {@link #main}
 * is the child: a serial loop first (which warms the function up the way a notebook does), then
 * the first {@code pmap} of the JVM and two bare threads on the same items (even and odd
 * indices, no scheduling), each timed once, in either order: whichever parallel run comes first
 * also pays for the JIT's work that the serial loop left unfinished. {@link #launch} starts
 * such a JVM.
 */
final class FreshChild {
    private static final int WORKERS = 2;
    private static volatile long firstItemNanos;

    private FreshChild() {}

    /**
     * What one fresh JVM measured.
     *
     * @param serialNanos the serial loop
     * @param pmapNanos the first pmap
     * @param threadsNanos two bare threads
     * @param firstItemNanos from calling pmap to its first item starting
     * @param othersPmap other processes' cores during the pmap
     * @param othersThreads other processes' cores during the bare threads
     * @param threadsFirst true when the bare threads ran before the pmap
     */
    record Result(long serialNanos, long pmapNanos, long threadsNanos, long firstItemNanos, double othersPmap,
            double othersThreads, boolean threadsFirst) {
        double pmapSpeedup() {
            return (double) serialNanos / pmapNanos;
        }

        double threadsSpeedup() {
            return (double) serialNanos / threadsNanos;
        }

        static Result parse(String line) {
            String[] f = line.trim().split("\\s+");
            return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Boolean.parseBoolean(f[6]));
        }
    }

    /**
     * Runs one fresh JVM.
     *
     * @param items how many items
     * @param threadsFirst true to run the bare threads before the pmap
     * @param timeoutSeconds how long to wait before killing it
     * @return its result
     * @throws IllegalStateException if the child failed
     */
    static Result launch(int items, boolean threadsFirst, long timeoutSeconds) throws IOException, InterruptedException {
        ChildJvm.Outcome o = ChildJvm.run(FreshChild.class, List.of(),
                List.of(Integer.toString(items), Boolean.toString(threadsFirst)), timeoutSeconds);
        if (!o.ok()) {
            throw new IllegalStateException("the fresh-JVM child failed: " + o.line());
        }
        return Result.parse(o.line());
    }

    /** The CPU-bound function: about 0.75 ms per item here. */
    static double busy(int x) {
        double acc = 0;
        for (int i = 1; i < 200_000; i++) {
            acc += Math.sqrt(x + i) / i;
        }
        return acc;
    }

    /**
     * The child.
     *
     * @param args the item count, and true to run the bare threads first
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        boolean threadsFirst = Boolean.parseBoolean(args[1]);
        List<Integer> work = Par.range(n);
        ParFunction<Integer, Double> f = x -> {
            if (firstItemNanos == 0) {
                firstItemNanos = System.nanoTime();
            }
            return busy(x);
        };
        double[] serial = new double[n];
        long t0 = System.nanoTime();
        for (int x : work) {
            serial[x] = f.apply(x);
        }
        long serialNanos = System.nanoTime() - t0;

        double[] bare = new double[n];
        Timed threads = threadsFirst ? bareThreads(f, bare) : null;
        firstItemNanos = 0;
        OtherLoad others = new OtherLoad();
        t0 = System.nanoTime();
        List<Double> parallel = Par.pmap(f, work, Par.options().workers(WORKERS));
        long pmapNanos = System.nanoTime() - t0;
        long firstItem = firstItemNanos - t0;
        double othersPmap = others.coresSince();
        if (!threadsFirst) {
            threads = bareThreads(f, bare);
        }

        for (int x = 0; x < n; x++) {
            if (serial[x] != parallel.get(x) || serial[x] != bare[x]) {
                System.out.println("results differ at item " + x);
                System.exit(2);
            }
        }
        System.out.printf(Locale.ROOT, "%s%d %d %d %d %.3f %.3f %b%n", ChildJvm.PREFIX, serialNanos, pmapNanos,
                threads.nanos(), firstItem, nan0(othersPmap), nan0(threads.others()), threadsFirst);
        Par.shutdown();
    }

    /** A run's time, and other processes' cores meanwhile. */
    private record Timed(long nanos, double others) {}

    /** Two bare threads on even and odd indices, writing into {@code into}. */
    private static Timed bareThreads(ParFunction<Integer, Double> f, double[] into) throws InterruptedException {
        int n = into.length;
        OtherLoad others = new OtherLoad();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < WORKERS; k++) {
            int first = k;
            Thread t = new Thread(() -> {
                try {
                    for (int x = first; x < n; x += WORKERS) {
                        into[x] = f.apply(x);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-bare-" + k);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Timed(System.nanoTime() - t0, others.coresSince());
    }

    private static double nan0(double x) {
        return Double.isNaN(x) ? -1 : x;
    }
}
