package dev.parkit.speedup;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a speedup run measured, as plain data: the serial loop's times (the baseline), the times
 * with each worker count, and the times of bare threads (the reference for what the machine can
 * give). Run {@code i} of every timing belongs to round {@code i}, so speedups pair them by round. {@link SpeedupResult#of(Measurement)} derives the table, the fit
 * and the chart from it, so a measurement made elsewhere (another machine, JMH) can be viewed the
 * same way.
 *
 * <pre>{@code
 * var m = new Measurement("squares", 8, 1000, 2, Double.NaN, Timing.ofMillis(100),
 *         Map.of(1, Timing.ofMillis(101), 2, Timing.ofMillis(52), 4, Timing.ofMillis(27)));
 * SpeedupResult.of(m).table();
 * }</pre>
 *
 * @param label what was measured; may be empty, not null
 * @param cores the processors available to the JVM when it ran
 * @param items how many items each run mapped
 * @param warmupRuns the untimed runs per configuration before the timed ones
 * @param otherLoad the cores that other processes kept busy on average during the kept timed
 *     rounds, or NaN where the operating system does not say
 * @param serial the times of the plain serial loop, the baseline of every speedup
 * @param byWorkers the times of {@code pmap} with each worker count, ascending by worker count
 * @param threads the times of n bare threads, each on a fixed equal share of the items, by n;
 *     may be empty
 * @param rerunRounds timed rounds that were thrown away and run again because other processes
 *     were busy during them
 */
public record Measurement(String label, int cores, int items, int warmupRuns, double otherLoad,
        Timing serial, SortedMap<Integer, Timing> byWorkers, SortedMap<Integer, Timing> threads,
        int rerunRounds) {

    /**
     * Checks and copies the data.
     *
     * @throws NullPointerException if {@code label}, {@code serial} or {@code byWorkers} is null,
     *     or {@code byWorkers} holds a null
     * @throws IllegalArgumentException if {@code cores < 1}, {@code items < 1},
     *     {@code warmupRuns < 0}, {@code otherLoad} is negative or infinite, {@code byWorkers}
     *     is empty or has a worker count below 1, {@code threads} has a count below 1, or
     *     {@code rerunRounds < 0}
     */
    public Measurement(String label, int cores, int items, int warmupRuns, double otherLoad,
            Timing serial, Map<Integer, Timing> byWorkers) {
        this(label, cores, items, warmupRuns, otherLoad, serial, sorted(byWorkers, "byWorkers"), new TreeMap<>(), 0);
    }

    /**
     * Checks and copies the data, with a bare-thread reference.
     *
     * @throws NullPointerException as the other constructors
     * @throws IllegalArgumentException as the other constructors
     */
    public Measurement(String label, int cores, int items, int warmupRuns, double otherLoad,
            Timing serial, Map<Integer, Timing> byWorkers, Map<Integer, Timing> threads, int rerunRounds) {
        this(label, cores, items, warmupRuns, otherLoad, serial, sorted(byWorkers, "byWorkers"),
                sorted(threads, "threads"), rerunRounds);
    }

    /**
     * Checks and copies the data; see the other constructor.
     *
     * @throws NullPointerException as the other constructor
     * @throws IllegalArgumentException as the other constructor
     */
    public Measurement {
        Objects.requireNonNull(label, "label must not be null");
        Objects.requireNonNull(serial, "serial must not be null");
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + items);
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("warmupRuns must be >= 0, got " + warmupRuns);
        }
        if (otherLoad < 0 || Double.isInfinite(otherLoad)) {
            throw new IllegalArgumentException("otherLoad must be >= 0 or NaN, got " + otherLoad);
        }
        byWorkers = Collections.unmodifiableSortedMap(sorted(byWorkers, "byWorkers"));
        if (byWorkers.isEmpty()) {
            throw new IllegalArgumentException("byWorkers must hold at least one worker count, got none");
        }
        if (byWorkers.firstKey() < 1) {
            throw new IllegalArgumentException("worker counts must be >= 1, got " + byWorkers.firstKey());
        }
        threads = Collections.unmodifiableSortedMap(sorted(threads, "threads"));
        if (!threads.isEmpty() && threads.firstKey() < 1) {
            throw new IllegalArgumentException("thread counts must be >= 1, got " + threads.firstKey());
        }
        if (rerunRounds < 0) {
            throw new IllegalArgumentException("rerunRounds must be >= 0, got " + rerunRounds);
        }
    }

    private static SortedMap<Integer, Timing> sorted(Map<Integer, Timing> byCount, String name) {
        Objects.requireNonNull(byCount, name + " must not be null");
        TreeMap<Integer, Timing> copy = new TreeMap<>();
        byCount.forEach((w, t) -> copy.put(
                Objects.requireNonNull(w, name + " must not hold null keys"),
                Objects.requireNonNull(t, name + " must not hold null timings")));
        return copy;
    }
}
