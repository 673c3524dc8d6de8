package dev.parkit.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * What the machine itself gives: the speedup of plain threads that each do an equal, fixed share
 * of the work with no scheduling, no hand-off and no result list, over one thread doing all the
 * shares. A map implementation can only match it on uniform work (within noise); the distance to
 * it is the implementation's cost.
 */
final class PlainThreads {
    private static volatile Object sink;

    private PlainThreads() {}

    /**
     * @param threads how many threads, and shares
     * @param rounds how many times to time each way, interleaved; the medians are compared
     * @param share makes the task for share {@code k} of {@code threads}
     * @return the median time of all shares on one thread divided by that of the shares on
     *     {@code threads} threads
     */
    static double speedup(int threads, int rounds, IntFunction<Callable<Object>> share) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-plain-thread");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<Object>> shares = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                shares.add(share.apply(k));
            }
            long[] one = new long[rounds];
            long[] many = new long[rounds];
            for (int r = -1; r < rounds; r++) {
                System.gc();
                long t0 = System.nanoTime();
                for (Callable<Object> s : shares) {
                    sink = s.call();
                }
                long t1 = System.nanoTime();
                System.gc();
                long t2 = System.nanoTime();
                for (Future<Object> f : pool.invokeAll(shares)) {
                    sink = f.get();
                }
                long t3 = System.nanoTime();
                if (r >= 0) {
                    one[r] = t1 - t0;
                    many[r] = t3 - t2;
                }
            }
            return (double) median(one) / median(many);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Share {@code k} of {@code items} busy-work items of {@code iterations} each. */
    static IntFunction<Callable<Object>> busyWork(int items, int iterations, int threads) {
        return k -> () -> {
            double acc = 0;
            for (int x = k * items / threads; x < (k + 1) * items / threads; x++) {
                acc += Spin.work(x, iterations);
            }
            return acc;
        };
    }

    /** Share {@code k} of boxing {@code x * x} for {@code items} integers into a new array. */
    static IntFunction<Callable<Object>> boxedSquares(int items, int threads) {
        return k -> () -> {
            int from = k * items / threads;
            Integer[] out = new Integer[(k + 1) * items / threads - from];
            for (int i = 0; i < out.length; i++) {
                int x = from + i;
                out[i] = x * x;
            }
            return out;
        };
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
