package dev.parkit.spark.internal;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * What slices cost on one cluster, as measured from the driver: a slice's wall time is Spark's
 * cost per job (about the same for every slice) plus its items' time. The job cost is taken as
 * the quickest slice seen; each function class keeps its items' time beyond that, per item (a
 * moving average weighted by items). A warm call of a known size then plans its slices from that
 * cost ({@link ClusterTask#learnedNanosPerItem}) instead of starting at one item a slice: few
 * items of a cheap function become one slice per worker, as many as Spark's own default
 * partitions, not one job per item. Samples are weighted by their
 * items, the older ones fading.
 *
 * <p>Thread-safe: every method is synchronized; function classes are held weakly (a notebook's
 * cells make many).
 */
public final class SliceCosts {
    /** Per function class: the items' time beyond the job's, per item, and the weight of what it was measured on. */
    private final Map<Class<?>, double[]> itemNanos = new WeakHashMap<>();
    private long jobNanos = Long.MAX_VALUE;

    /**
     * Records a slice.
     *
     * @param function the call's function
     * @param items its items
     * @param nanos its wall time, submission to result
     */
    public synchronized void record(Object function, int items, long nanos) {
        jobNanos = Math.min(jobNanos, nanos);
        double sample = Math.max(0, nanos - jobNanos) / (double) Math.max(1, items);
        // Weighted by items, the past fading: a one-item slice, whose time is mostly the job's
        // (it may even set the job's cost, and so measure its item at 0), must not outweigh a
        // slice of many items.
        double[] before = itemNanos.get(function.getClass());
        int n = Math.max(1, items);
        if (before == null) {
            itemNanos.put(function.getClass(), new double[] {sample, n});
        } else {
            double w = 0.7 * before[1];
            before[0] = (before[0] * w + sample * n) / (w + n);
            before[1] = Math.min(w + n, 1e6);
        }
    }

    /**
     * @param function the call's function
     * @return what an item of {@code function}'s class cost on the executors, beyond the job's
     *     cost, per item, or -1 when none of its slices has been seen
     */
    public synchronized double itemNanos(Object function) {
        double[] measured = itemNanos.get(function.getClass());
        return measured == null ? -1 : measured[0];
    }
}
