package dev.parkit.internal;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What ParKit has learned of each function's item cost: the average item time of its last chunk
 * to finish. A new call of the same function starts its chunk sizes from it instead of one item
 * at a time.
 *
 * <p>What counts as the same function: a lambda or method reference is learned by the object
 * itself, so the lambdas of one factory ({@code ms -> x -> sleep(ms)} for different {@code ms})
 * never share a cost (one that captures nothing is one object per site, learned across calls);
 * any other function by its class. Only lambdas, whose classes are hidden, are keyed by object:
 * they keep {@code Object}'s identity {@code equals}, where a user's class could make
 * {@code hashCode} costly. A {@link ClassValue} does not keep a class (a JShell snippet's lambda)
 * from being unloaded, and the map's keys are weak.
 *
 * <p>The last chunk decides, so one slow chunk (a slow item, or a cold start) makes the next call
 * start with small chunks again.
 */
final class ItemCosts {
    private static final long UNKNOWN = -1;
    private static final ClassValue<AtomicLong> BY_CLASS = new ClassValue<>() {
        @Override
        protected AtomicLong computeValue(Class<?> type) {
            return new AtomicLong(UNKNOWN);
        }
    };
    // Guarded by itself. Looked up once per call, never per chunk.
    private static final Map<Object, AtomicLong> BY_OBJECT = new WeakHashMap<>();

    private ItemCosts() {}

    /**
     * @param function the user's function
     * @return what is learned of its item cost: nanoseconds per item, or -1 while nothing is
     *     (shared by every call of the same function; see the class doc)
     */
    static AtomicLong of(Object function) {
        if (!function.getClass().isHidden()) {
            return BY_CLASS.get(function.getClass());
        }
        synchronized (BY_OBJECT) {
            return BY_OBJECT.computeIfAbsent(function, k -> new AtomicLong(UNKNOWN));
        }
    }

    /** Learns from one chunk: {@code items} items took {@code nanos}. */
    static void learn(AtomicLong last, int items, long nanos) {
        if (items <= 0) {
            return;
        }
        long was = last.get();
        long now = nanos / items;
        // Written only on a change of over a quarter: workers that finish chunks of the same
        // function do not write one shared variable per chunk.
        if (was < 0 || Math.abs(now - was) > was / 4) {
            last.set(now);
        }
    }
}
