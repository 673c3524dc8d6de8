package dev.parkit.benchmark;

import java.util.Arrays;

/**
 * Calibrated CPU-bound busy work that the JIT cannot remove: a chain of dependent floating-point
 * multiply-adds seeded from the item, whose result is returned.
 */
final class Spin {
    private static volatile double sink;

    /** Nanoseconds one iteration of {@link #work} takes on this machine, measured once. */
    final double nanosPerIteration;

    private Spin(double nanosPerIteration) {
        this.nanosPerIteration = nanosPerIteration;
    }

    /**
     * Does {@code iterations} dependent multiply-adds starting from a value derived from {@code x}.
     *
     * @param x the item
     * @param iterations how much work
     * @return a value that depends on {@code x} and on every iteration
     */
    static double work(int x, int iterations) {
        double v = 1.0 + (x & 0xFFFF) * 1e-6;
        for (int i = 0; i < iterations; i++) {
            v = v * 0.999_999_9 + 1e-7;
        }
        return v;
    }

    /**
     * Warms {@link #work} up until the JIT has compiled it, then times it: the median of several
     * samples.
     *
     * @param warmupNanos how long to warm up
     * @return the calibration
     */
    static Spin calibrate(long warmupNanos) {
        int probe = 250_000;
        double acc = 0;
        long end = System.nanoTime() + warmupNanos;
        for (int x = 0; System.nanoTime() < end; x++) {
            acc += work(x, probe);
        }
        long[] samples = new long[21];
        for (int i = 0; i < samples.length; i++) {
            long t0 = System.nanoTime();
            acc += work(i, probe);
            samples[i] = System.nanoTime() - t0;
        }
        sink = acc;
        Arrays.sort(samples);
        return new Spin((double) samples[samples.length / 2] / probe);
    }

    /**
     * @param nanos a target cost
     * @return the iterations of {@link #work} that take about {@code nanos}
     */
    int iterationsFor(double nanos) {
        return (int) Math.max(1, Math.round(nanos / nanosPerIteration));
    }
}
