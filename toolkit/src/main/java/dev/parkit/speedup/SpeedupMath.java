package dev.parkit.speedup;

import java.util.List;

/** The formulas of a speedup analysis, on plain numbers. */
final class SpeedupMath {

    private SpeedupMath() {}

    /** S = T_serial / T; NaN when T is 0 (too short to time). */
    static double speedup(double serialMs, double ms) {
        return ms > 0 ? serialMs / ms : Double.NaN;
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
     * The least-squares parallel fraction p of Amdahl's law, unclamped, or NaN without a usable
     * point. Amdahl's law is linear in x = 1 - 1/n: 1 - 1/S = p x, so p = sum(x y) / sum(x x) with
     * y = 1 - 1/S. Points at n = 1 have x = 0 and carry no weight.
     */
    static double fitParallelFraction(List<SpeedupRow> points) {
        double sxy = 0;
        double sxx = 0;
        for (SpeedupRow row : points) {
            if (row.workers() < 2 || !(row.speedup() > 0)) {
                continue;
            }
            double x = 1 - 1.0 / row.workers();
            double y = 1 - 1 / row.speedup();
            sxy += x * y;
            sxx += x * x;
        }
        return sxx > 0 ? sxy / sxx : Double.NaN;
    }
}
