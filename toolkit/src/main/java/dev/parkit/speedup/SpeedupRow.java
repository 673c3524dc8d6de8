package dev.parkit.speedup;

/**
 * One line of a speedup table, derived from a {@link Measurement}: the serial loop, {@code pmap}
 * with some workers, or bare threads. Speedups pair runs by round: round i's serial time / round
 * i's time here; the row reports their median, smallest and largest. Undefined values are
 * {@code NaN}.
 *
 * @param workers the worker (or thread) count; 1 for the serial loop
 * @param medianMs the median run time, ms
 * @param minMs the fastest run, ms
 * @param maxMs the slowest run, ms
 * @param speedup the median of the per-round speedups
 * @param speedupLow the smallest per-round speedup (the lower error bar)
 * @param speedupHigh the largest per-round speedup (the upper error bar)
 * @param efficiency speedup / workers
 * @param karpFlatt the Karp-Flatt experimentally determined serial fraction,
 *     {@code (1/speedup - 1/workers) / (1 - 1/workers)}; NaN for 1 worker
 * @param coresBusy this JVM's CPU time / wall time during the runs (median over runs): about 1 for
 *     the serial loop, about n for n busy workers; NaN where unknown or the runs were under 50 ms
 */
public record SpeedupRow(int workers, double medianMs, double minMs, double maxMs, double speedup,
        double speedupLow, double speedupHigh, double efficiency, double karpFlatt, double coresBusy) {

    /** The row of a timing against the serial loop's. */
    static SpeedupRow of(int workers, Timing serial, Timing t) {
        double[] s = SpeedupMath.pairedSpeedups(serial, t);
        double median = SpeedupMath.median(s);
        return new SpeedupRow(workers, t.medianMs(), t.minMs(), t.maxMs(), median, SpeedupMath.min(s),
                SpeedupMath.max(s), SpeedupMath.efficiency(median, workers), SpeedupMath.karpFlatt(median, workers),
                t.coresBusy());
    }
}
