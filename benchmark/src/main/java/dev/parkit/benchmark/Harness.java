package dev.parkit.benchmark;

import dev.parkit.speedup.OtherLoad;

import dev.parkit.benchmark.Contenders.Contender;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Times contenders on one workload, interleaved: each round runs every contender once, in an order
 * rotated from round to round, so a change in machine load hits all of them alike. Warm-up rounds
 * come first and are not kept. A measured round during which other processes kept more than
 * {@link #BUSY_CORES} cores busy is run again, at most as many times as there are rounds. Every
 * result is checked against the serial loop's, outside the timed region, and the heap is
 * collected before each timed call so no run pays for another's garbage.
 */
final class Harness {
    /** Other processes' CPU use, in cores, above which a round is run again. */
    static final double BUSY_CORES = 0.2;
    /** Runs shorter than this get no "cores busy" figure. */
    static final long MIN_CPU_WALL_NANOS = 50_000_000L;

    private Harness() {}

    /**
     * The timings of a workload and how disturbed they were.
     *
     * @param timings one per contender, in the given order
     * @param redone rounds run again because other processes were busy
     * @param othersCores the cores other processes used on average over the kept rounds
     */
    record Measured(List<Timing> timings, int redone, double othersCores) {}

    /**
     * The times of one contender on one workload.
     *
     * @param contender who ran
     * @param nanos the measured rounds, in round order
     * @param cpuNanos this JVM's CPU time (all its threads) during each of those rounds' runs
     */
    record Timing(Contender contender, long[] nanos, long[] cpuNanos) {
        /**
         * The median over rounds of CPU time / wall time: how many cores the run kept busy, e.g.
         * about 2 for a run that really used 2 workers, about 1 for one that ran one item at a time.
         * NaN for runs under {@link #MIN_CPU_WALL_NANOS}: the JVM may count CPU time in 10 ms ticks.
         */
        double cores() {
            if (median() < MIN_CPU_WALL_NANOS) {
                return Double.NaN;
            }
            double[] c = new double[nanos.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = (double) cpuNanos[i] / nanos[i];
            }
            Arrays.sort(c);
            int n = c.length;
            return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
        }

        long median() {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        long min() {
            return Arrays.stream(nanos).min().orElseThrow();
        }

        long max() {
            return Arrays.stream(nanos).max().orElseThrow();
        }
    }

    /**
     * @param w the workload
     * @param contenders who runs
     * @param expected the serial loop's results, which every run must equal
     * @param warmups rounds run first and not kept
     * @param rounds rounds kept
     * @return the timings
     * @throws IllegalStateException if a contender's results differ from {@code expected}
     */
    static Measured measure(Workload w, List<Contender> contenders, List<?> expected, int warmups, int rounds)
            throws Exception {
        int n = contenders.size();
        long[][] nanos = new long[n][rounds];
        long[][] cpu = new long[n][rounds];
        long[] round = new long[n];
        long[] roundCpu = new long[n];
        int redone = 0;
        double othersSum = 0;
        long keptNanos = 0;
        for (int r = -warmups; r < rounds; r++) {
            OtherLoad before = new OtherLoad();
            long roundStart = System.nanoTime();
            for (int j = 0; j < n; j++) {
                int k = (j + Math.max(r, 0)) % n;
                Contender c = contenders.get(k);
                System.gc();
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                List<?> out = c.run().map(w);
                round[k] = System.nanoTime() - t0;
                roundCpu[k] = processCpuNanos() - c0;
                check(w, c, expected, out);
            }
            double others = before.coresSince();
            long span = System.nanoTime() - roundStart;
            if (r < 0) {
                continue;
            }
            if (others > BUSY_CORES && redone < rounds) {
                redone++;
                r--;
                continue;
            }
            for (int k = 0; k < n; k++) {
                nanos[k][r] = round[k];
                cpu[k][r] = roundCpu[k];
            }
            othersSum += (Double.isNaN(others) ? 0 : others) * span;
            keptNanos += span;
        }
        List<Timing> timings = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            timings.add(new Timing(contenders.get(k), nanos[k], cpu[k]));
        }
        return new Measured(timings, redone, keptNanos > 0 ? othersSum / keptNanos : Double.NaN);
    }

    /** @return the CPU time of all of this JVM's threads so far, or 0 where the JVM does not say */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Fails loudly, naming the first differing item, unless {@code out} equals {@code expected}. */
    static void check(Workload w, Contender c, List<?> expected, List<?> out) {
        if (expected.equals(out)) {
            return;
        }
        String where = "sizes " + expected.size() + " and " + out.size();
        for (int i = 0; i < Math.min(expected.size(), out.size()); i++) {
            if (!Objects.equals(expected.get(i), out.get(i))) {
                where = "item " + i + ": expected " + expected.get(i) + ", got " + out.get(i);
                break;
            }
        }
        throw new IllegalStateException("workload " + w.id() + ": " + c.name() + " with " + c.workers()
                + " workers gave results that differ from the serial loop at " + where);
    }
}
