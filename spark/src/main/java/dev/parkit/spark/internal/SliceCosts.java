package dev.parkit.spark.internal;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * What slices cost on one cluster, as measured from the driver: a slice's wall time is Spark's
 * cost per job (about the same for every slice) plus its items' time. The job cost is taken as
 * the quickest slice seen; each function class keeps its items' time beyond that, per item (a
 * moving average). A warm call of a known size then slices its items by that cost instead of
 * starting at one item a slice: few items of a cheap function become one slice per worker, as
 * many as Spark's own default partitions, not one job per item.
 *
 * <p>Thread-safe: every method is synchronized; function classes are held weakly (a notebook's
 * cells make many).
 */
public final class SliceCosts {
    private final Map<Class<?>, Double> itemNanos = new WeakHashMap<>();
    private long jobNanos = Long.MAX_VALUE;

    /**
     * Records a slice.
     *
     * @param function the call's function
     * @param items its items
     * @param nanos its wall time, submission to result
     */
    synchronized void record(Object function, int items, long nanos) {
        jobNanos = Math.min(jobNanos, nanos);
        double sample = Math.max(0, nanos - jobNanos) / (double) Math.max(1, items);
        Double before = itemNanos.get(function.getClass());
        itemNanos.put(function.getClass(), before == null ? sample : 0.7 * before + 0.3 * sample);
    }

    /**
     * The items per slice for a call of {@code n} items of {@code function} on {@code workers}
     * slices at once: enough slices that each takes at most {@code sliceNanos}, in whole rounds of
     * {@code workers} (so the workers finish together), or 0 when the function's cost is unknown.
     *
     * @param function the call's function
     * @param n how many items
     * @param workers slices at once
     * @param sliceNanos the longest a slice should take
     * @return items per slice, or 0
     */
    public synchronized int chunkSize(Object function, long n, int workers, long sliceNanos) {
        Double perItem = itemNanos.get(function.getClass());
        if (perItem == null || n <= 0) {
            return 0;
        }
        double total = perItem * n;
        long rounds = Math.max(1, (long) Math.ceil(total / ((double) workers * sliceNanos)));
        long slices = Math.min(n, rounds * workers);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (n + slices - 1) / slices));
    }
}
