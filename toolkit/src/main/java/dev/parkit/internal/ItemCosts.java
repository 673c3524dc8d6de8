package dev.parkit.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What ParKit has learned of each function's item cost, by the function's class: the average
 * item time of its last chunk to finish. A new call of the function starts its chunk sizes from
 * it instead of one item at a time, and its calling thread may run a small call's items itself
 * when they are tiny.
 *
 * <p>The last chunk decides, so one slow chunk (a slow item, or a cold start) stops callers from
 * running that function's items until its chunks are tiny again. Classes, not instances:
 * {@code f::apply} makes a new object per call of the same class. A {@link ClassValue} does not
 * keep a class (a JShell snippet's lambda) from being unloaded.
 */
final class ItemCosts {
    /** An item at most this long on average is tiny: a thread hand-off and wake-up costs more. */
    static final long TINY_NANOS = 100_000;
    private static final long UNKNOWN = -1;
    private static final ClassValue<AtomicLong> NANOS_PER_ITEM = new ClassValue<>() {
        @Override
        protected AtomicLong computeValue(Class<?> type) {
            return new AtomicLong(UNKNOWN);
        }
    };

    private ItemCosts() {}

    /** @return true when the last chunk of {@code function} to finish had tiny items */
    static boolean tiny(Class<?> function) {
        long npi = NANOS_PER_ITEM.get(function).get();
        return npi >= 0 && npi <= TINY_NANOS;
    }

    /** @return the average item time of the last chunk of {@code function}, or -1 if none finished */
    static long nanosPerItem(Class<?> function) {
        return NANOS_PER_ITEM.get(function).get();
    }

    /** Learns from one chunk: {@code items} items of {@code function} took {@code nanos}. */
    static void learn(Class<?> function, int items, long nanos) {
        if (items <= 0) {
            return;
        }
        AtomicLong last = NANOS_PER_ITEM.get(function);
        long was = last.get();
        long now = nanos / items;
        // Written only on a change of over a quarter (or across the tiny bound): workers that
        // finish chunks of the same function do not write one shared variable per chunk.
        boolean tinyChanged = (was >= 0 && was <= TINY_NANOS) != (now <= TINY_NANOS);
        if (was < 0 || tinyChanged || Math.abs(now - was) > was / 4) {
            last.set(now);
        }
    }
}
