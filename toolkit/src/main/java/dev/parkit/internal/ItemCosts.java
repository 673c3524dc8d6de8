package dev.parkit.internal;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What ParKit has learned of each function's item cost: the average item time of its last chunk
 * to finish. A new call of the same function starts its chunk sizes from it instead of one item
 * at a time.
 *
 * <p>What counts as the same function: a lambda or method reference (its class is hidden) is
 * learned by the object itself, so the lambdas of one factory ({@code ms -> x -> sleep(ms)} for
 * different {@code ms}) never share a cost; any other function by its class. Only a lambda
 * class's last object is remembered, weakly: one that captures nothing is one object per site,
 * learned across calls, while one made anew for each call ({@code f::apply}, one capturing a
 * loop's variable) starts cold, as with nothing learned, and costs no map entry. A
 * {@link ClassValue} does not keep a class (a JShell snippet's lambda) from being unloaded.
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
    /** A lambda class's last function object and its cost: weak, so a captured value is never kept alive. */
    private static final ClassValue<AtomicReference<Last>> BY_LAMBDA = new ClassValue<>() {
        @Override
        protected AtomicReference<Last> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    private record Last(WeakReference<Object> function, AtomicLong cost) {}

    private ItemCosts() {}

    /**
     * @param function the user's function
     * @return what is learned of its item cost: nanoseconds per item, or -1 while nothing is
     *     (shared by every call of the same function; see the class doc)
     */
    static AtomicLong of(Object function) {
        Class<?> type = function.getClass();
        if (!type.isHidden()) {
            return BY_CLASS.get(type);
        }
        AtomicReference<Last> slot = BY_LAMBDA.get(type);
        Last last = slot.get();
        if (last != null && last.function().get() == function) {
            return last.cost(); // the same object again: a lambda that captures nothing, or one kept in a variable
        }
        Last now = new Last(new WeakReference<>(function), new AtomicLong(UNKNOWN));
        slot.set(now); // a race only loses one call's learning
        return now.cost();
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
