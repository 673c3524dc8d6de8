package dev.parkit.speedup;

/**
 * One worker count's line of a speedup table, derived from a {@link Measurement}. Speedups are
 * relative to the serial loop's median time; undefined values are {@code NaN}.
 *
 * @param workers the worker count
 * @param medianMs the median run time, ms
 * @param minMs the fastest run, ms
 * @param maxMs the slowest run, ms
 * @param speedup serial median / median
 * @param speedupLow serial median / slowest run (the lower error bar)
 * @param speedupHigh serial median / fastest run (the upper error bar)
 * @param efficiency speedup / workers
 * @param karpFlatt the Karp-Flatt experimentally determined serial fraction,
 *     {@code (1/speedup - 1/workers) / (1 - 1/workers)}; NaN for 1 worker
 */
public record SpeedupRow(int workers, double medianMs, double minMs, double maxMs, double speedup,
        double speedupLow, double speedupHigh, double efficiency, double karpFlatt) {}
