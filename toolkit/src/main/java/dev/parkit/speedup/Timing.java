package dev.parkit.speedup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The wall-clock times of the timed runs of one configuration, in milliseconds, in the order they
 * ran (run {@code i} of every configuration belongs to round {@code i}), and optionally this JVM's
 * CPU time during each run. Plain data: the median, fastest and slowest are computed from it.
 *
 * <pre>{@code
 * Timing t = Timing.ofMillis(12.0, 10.0, 11.0);
 * t.medianMs(); // 11.0
 * }</pre>
 *
 * @param samplesMs the time of each run, in milliseconds; at least one, each finite and {@code >= 0}
 * @param cpuMs this JVM's CPU time (all its threads) during each run, in milliseconds; empty when
 *     unknown, else one per run, each {@code >= 0} or NaN
 */
public record Timing(List<Double> samplesMs, List<Double> cpuMs) {

    /** Runs shorter than this get no "cores busy" figure: the JVM may count CPU time in 10 ms ticks. */
    static final double MIN_CPU_WALL_MS = 50;

    /**
     * Checks and copies the samples.
     *
     * @throws NullPointerException if a list or one of its elements is null
     * @throws IllegalArgumentException if there are no samples, or one is negative, NaN or
     *     infinite; or {@code cpuMs} is neither empty nor as long as {@code samplesMs}
     */
    public Timing {
        Objects.requireNonNull(samplesMs, "samplesMs must not be null");
        Objects.requireNonNull(cpuMs, "cpuMs must not be null");
        if (samplesMs.isEmpty()) {
            throw new IllegalArgumentException("samplesMs must hold at least one time, got none");
        }
        for (Double s : samplesMs) {
            Objects.requireNonNull(s, "samplesMs must not hold nulls");
            if (!(s >= 0) || s.isInfinite()) {
                throw new IllegalArgumentException("samplesMs must be finite and >= 0, got " + s);
            }
        }
        if (!cpuMs.isEmpty() && cpuMs.size() != samplesMs.size()) {
            throw new IllegalArgumentException("cpuMs must be empty or hold one time per run ("
                    + samplesMs.size() + "), got " + cpuMs.size());
        }
        for (Double c : cpuMs) {
            Objects.requireNonNull(c, "cpuMs must not hold nulls");
            if (c < 0 || c.isInfinite()) {
                throw new IllegalArgumentException("cpuMs must be >= 0 or NaN, got " + c);
            }
        }
        samplesMs = List.copyOf(samplesMs);
        cpuMs = List.copyOf(cpuMs);
    }

    /**
     * Wall times only, no CPU times.
     *
     * @param samplesMs the time of each run, ms
     * @throws NullPointerException as the canonical constructor does
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public Timing(List<Double> samplesMs) {
        this(samplesMs, List.of());
    }

    /**
     * A timing from run times given in milliseconds.
     *
     * @param samplesMs the time of each run
     * @return the timing
     * @throws IllegalArgumentException as the constructor does
     */
    public static Timing ofMillis(double... samplesMs) {
        Objects.requireNonNull(samplesMs, "samplesMs must not be null");
        List<Double> list = new ArrayList<>(samplesMs.length);
        for (double s : samplesMs) {
            list.add(s);
        }
        return new Timing(list);
    }

    /** @return how many timed runs */
    public int runs() {
        return samplesMs.size();
    }

    /** @return the median run time (the mean of the middle two for an even count), ms */
    public double medianMs() {
        return SpeedupMath.median(samplesMs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** @return the fastest run, ms */
    public double minMs() {
        return Collections.min(samplesMs);
    }

    /** @return the slowest run, ms */
    public double maxMs() {
        return Collections.max(samplesMs);
    }

    /** @return (slowest - fastest) / median, or NaN for a median of 0 */
    public double spread() {
        double m = medianMs();
        return m > 0 ? (maxMs() - minMs()) / m : Double.NaN;
    }

    /**
     * How many cores this JVM kept busy during the runs: the median over runs of CPU time / wall
     * time; about 1 for the serial loop, about n for n workers that never wait.
     *
     * @return the cores, or NaN without CPU times or without a run of 50 ms or more
     */
    public double coresBusy() {
        double[] c = new double[cpuMs.size()];
        int k = 0;
        for (int i = 0; i < cpuMs.size(); i++) {
            double wall = samplesMs.get(i);
            if (wall >= MIN_CPU_WALL_MS && !Double.isNaN(cpuMs.get(i))) {
                c[k++] = cpuMs.get(i) / wall;
            }
        }
        return k == 0 ? Double.NaN : SpeedupMath.median(Arrays.copyOf(c, k));
    }
}
