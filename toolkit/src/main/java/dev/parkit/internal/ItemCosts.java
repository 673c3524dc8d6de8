package dev.parkit.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What ParKit has learned of each function's item cost, by the function's class: whether its
 * items are tiny, so that the calling thread may run a small call's items itself.
 *
 * <p>The last chunk of the function to finish decides: tiny when its items took at most
 * {@link #TINY_NANOS} on average. So one slow chunk (a slow item, or a cold start) stops callers
 * from running that function's items until its chunks are tiny again. Classes, not instances:
 * {@code f::apply} makes a new object per call of the same class. A {@link ClassValue} does not
 * keep a class (a JShell snippet's lambda) from being unloaded.
 */
final class ItemCosts {
    /** An item at most this long on average is tiny: a thread hand-off and wake-up costs more. */
    static final long TINY_NANOS = 100_000;
    private static final ClassValue<AtomicBoolean> TINY = new ClassValue<>() {
        @Override
        protected AtomicBoolean computeValue(Class<?> type) {
            return new AtomicBoolean();
        }
    };

    private ItemCosts() {}

    /** @return true when the last chunk of {@code function} to finish had tiny items */
    static boolean tiny(Class<?> function) {
        return TINY.get(function).get();
    }

    /** Learns from one chunk: {@code items} items of {@code function} took {@code nanos}. */
    static void learn(Class<?> function, int items, long nanos) {
        if (items <= 0) {
            return;
        }
        AtomicBoolean tiny = TINY.get(function);
        boolean now = nanos / items <= TINY_NANOS;
        if (tiny.get() != now) { // written only when it changes: no shared write per chunk
            tiny.set(now);
        }
    }
}
