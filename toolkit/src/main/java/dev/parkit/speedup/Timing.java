package dev.parkit.speedup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The wall-clock times of the timed runs of one configuration, in milliseconds, in the order they
 * ran. Plain data: the median, fastest and slowest are computed from it.
 *
 * <pre>{@code
 * Timing t = Timing.ofMillis(12.0, 10.0, 11.0);
 * t.medianMs(); // 11.0
 * }</pre>
 *
 * @param samplesMs the time of each run, in milliseconds; at least one, each finite and {@code >= 0}
 */
public record Timing(List<Double> samplesMs) {

    /**
     * Checks and copies the samples.
     *
     * @throws NullPointerException if {@code samplesMs} or one of its elements is null
     * @throws IllegalArgumentException if there are no samples, or one is negative, NaN or infinite
     */
    public Timing {
        Objects.requireNonNull(samplesMs, "samplesMs must not be null");
        if (samplesMs.isEmpty()) {
            throw new IllegalArgumentException("samplesMs must hold at least one time, got none");
        }
        for (Double s : samplesMs) {
            Objects.requireNonNull(s, "samplesMs must not hold nulls");
            if (!(s >= 0) || s.isInfinite()) {
                throw new IllegalArgumentException("samplesMs must be finite and >= 0, got " + s);
            }
        }
        samplesMs = List.copyOf(samplesMs);
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
        List<Double> sorted = new ArrayList<>(samplesMs);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @return the fastest run, ms */
    public double minMs() {
        return Collections.min(samplesMs);
    }

    /** @return the slowest run, ms */
    public double maxMs() {
        return Collections.max(samplesMs);
    }
}
