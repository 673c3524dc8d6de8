package dev.parkit.speedup;

import java.util.List;

/**
 * Amdahl's law fitted to the pmap rows from 2 workers up to the cores, with the uncertainty of
 * the parallel fraction: {@code p} from the median per-round speedups, {@code low} and {@code
 * high} from the smallest and largest ones. A prediction is made only where the data supports
 * it: at most {@value #MAX_EXTRAPOLATION} times the largest worker count fitted, and only when
 * the predicted interval lies within {@value #MAX_HALF_WIDTH} of the predicted value.
 *
 * @param workers the worker counts fitted, ascending
 * @param raw p as fitted, unclamped (NaN without a usable row)
 * @param p p clamped to [0, 1]
 * @param low the smallest p the per-round speedups allow, clamped
 * @param high the largest p the per-round speedups allow, clamped
 */
record AmdahlFit(List<Integer> workers, double raw, double p, double low, double high) {

    static final int MAX_EXTRAPOLATION = 4;
    static final double MAX_HALF_WIDTH = 0.25;

    static AmdahlFit of(List<SpeedupRow> rows) {
        double raw = SpeedupMath.fitParallelFraction(rows);
        double low = SpeedupMath.clamp(SpeedupMath.fitParallelFraction(rows, SpeedupRow::speedupLow));
        double high = SpeedupMath.clamp(SpeedupMath.fitParallelFraction(rows, SpeedupRow::speedupHigh));
        return new AmdahlFit(rows.stream().map(SpeedupRow::workers).toList(), raw, SpeedupMath.clamp(raw),
                Math.min(low, SpeedupMath.clamp(raw)), Math.max(high, SpeedupMath.clamp(raw)));
    }

    boolean exists() {
        return !Double.isNaN(p);
    }

    /** One worker count only (always so on 2 cores): p is computed from it, not tested by a fit. */
    boolean singlePoint() {
        return workers.size() == 1;
    }

    double predicted(double cores) {
        return SpeedupMath.amdahl(p, cores);
    }

    double predictedLow(double cores) {
        return SpeedupMath.amdahl(low, cores);
    }

    double predictedHigh(double cores) {
        return SpeedupMath.amdahl(high, cores);
    }

    /** The largest core count a prediction may reach: 4 x the largest worker count fitted. */
    int reach() {
        return workers.isEmpty() ? 0 : MAX_EXTRAPOLATION * workers.get(workers.size() - 1);
    }

    /** Why there is no prediction for {@code cores}, or null when there is one. */
    String whyNot(int cores) {
        if (!exists()) {
            return "no fit";
        }
        if (cores > reach()) {
            return "more than " + MAX_EXTRAPOLATION + "x the largest worker count measured";
        }
        double s = predicted(cores);
        if (predictedLow(cores) < (1 - MAX_HALF_WIDTH) * s || predictedHigh(cores) > (1 + MAX_HALF_WIDTH) * s) {
            return "the per-round spread puts it beyond +-" + Math.round(MAX_HALF_WIDTH * 100) + "%";
        }
        return null;
    }
}
