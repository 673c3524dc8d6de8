package dev.parkit.speedup;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The formulas of a speedup analysis, on plain numbers. */
final class SpeedupMath {

    private SpeedupMath() {}

    /** S = T_serial / T; NaN when T is 0 (too short to time). */
    static double speedup(double serialMs, double ms) {
        return ms > 0 ? serialMs / ms : Double.NaN;
    }

    /**
     * The speedup of each round: the serial loop's time in round i / {@code t}'s time in round i.
     * When the two have different run counts (a measurement made elsewhere) there are no rounds to
     * pair, and each run is compared with the serial median instead.
     */
    static double[] pairedSpeedups(Timing serial, Timing t) {
        boolean paired = serial.runs() == t.runs();
        double median = serial.medianMs();
        double[] s = new double[t.runs()];
        for (int i = 0; i < s.length; i++) {
            s[i] = speedup(paired ? serial.samplesMs().get(i) : median, t.samplesMs().get(i));
        }
        return s;
    }

    /** The median (mean of the middle two for an even count); NaN if empty or any value is NaN. */
    static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s); // NaN sorts last
        if (Double.isNaN(s[s.length - 1])) {
            return Double.NaN;
        }
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The smallest value; NaN if any is NaN. */
    static double min(double[] xs) {
        return Arrays.stream(xs).reduce(Double.POSITIVE_INFINITY, Math::min);
    }

    /** The largest value; NaN if any is NaN. */
    static double max(double[] xs) {
        return Arrays.stream(xs).reduce(Double.NEGATIVE_INFINITY, Math::max);
    }

    /** E = S / n. */
    static double efficiency(double speedup, int workers) {
        return speedup / workers;
    }

    /** Karp-Flatt e = (1/S - 1/n) / (1 - 1/n); NaN for n = 1, where it is undefined. */
    static double karpFlatt(double speedup, int workers) {
        if (workers == 1 || !(speedup > 0)) {
            return Double.NaN;
        }
        double n = workers;
        return (1 / speedup - 1 / n) / (1 - 1 / n);
    }

    /** Amdahl: S(n) = 1 / ((1 - p) + p / n). */
    static double amdahl(double p, double workers) {
        return 1 / ((1 - p) + p / workers);
    }

    /**
     * The least-squares parallel fraction p of Amdahl's law on the rows' median speedups,
     * unclamped; see {@link #fitParallelFraction(List, ToDoubleFunction)}.
     */
    static double fitParallelFraction(List<SpeedupRow> points) {
        return fitParallelFraction(points, SpeedupRow::speedup);
    }

    /**
     * The least-squares parallel fraction p of Amdahl's law on the speedups {@code s} picks from
     * the rows, unclamped, or NaN without a usable point. Amdahl's law is linear in x = 1 - 1/n:
     * 1 - 1/S = p x, so p = sum(x y) / sum(x x) with y = 1 - 1/S. Points at n = 1 have x = 0 and
     * carry no weight. With one point (2 cores: n = 2 only) this is p = 2 (1 - 1/S), exact for
     * that point: a single point cannot test the law.
     */
    static double fitParallelFraction(List<SpeedupRow> points, ToDoubleFunction<SpeedupRow> s) {
        double sxy = 0;
        double sxx = 0;
        for (SpeedupRow row : points) {
            double speedup = s.applyAsDouble(row);
            if (row.workers() < 2 || !(speedup > 0)) {
                continue;
            }
            double x = 1 - 1.0 / row.workers();
            double y = 1 - 1 / speedup;
            sxy += x * y;
            sxx += x * x;
        }
        return sxx > 0 ? sxy / sxx : Double.NaN;
    }

    /** p clamped to [0, 1]; NaN stays NaN. */
    static double clamp(double p) {
        return Double.isNaN(p) ? p : Math.max(0, Math.min(1, p));
    }
}
