package dev.parkit.spark.connect.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What items of a function cost on the executors, learned from earlier calls, by the function's
 * class (a cell's lambda keeps its class while its captured values change): the slice size of the
 * next call follows it, as local chunking follows learned item costs. A function never seen before
 * gets {@link #UNKNOWN}.
 *
 * <p>Thread-safe.
 */
public final class ItemCosts {
    /** No call of the function has finished yet. */
    public static final double UNKNOWN = Double.NaN;
    private static final int REMEMBERED = 256;

    private final Map<String, Double> nanosPerItem = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param function the function's class name
     * @return nanoseconds per item, or {@link #UNKNOWN}
     */
    public synchronized double of(String function) {
        return nanosPerItem.getOrDefault(function, UNKNOWN);
    }

    /**
     * Records a finished call.
     *
     * @param function the function's class name
     * @param items how many items ran
     * @param nanos how long they took on the executors, summed
     */
    public synchronized void record(String function, long items, long nanos) {
        if (items > 0) {
            nanosPerItem.put(function, nanos / (double) items);
        }
    }
}
