package dev.parkit.contract;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the contracts' functions record, and the one rule they keep: a negative item is a warm-up
 * item ({@link Fresh#warmTiny} calls each function over {@code range(-64, 0)} before the real call),
 * which a function returns at once and does not record.
 */
final class Items {
    private Items() {}

    /** @return true for a warm-up item: return it at once, record nothing */
    static boolean warmUp(Integer x) {
        return x != null && x < 0;
    }

    /** Which items started, how many run now and the most that ran at once. */
    static final class Probe {
        private final Set<Integer> started = ConcurrentHashMap.newKeySet();
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        /** Records that item {@code x} started; pair with {@link #end()}. */
        void start(int x) {
            started.add(x);
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
        }

        /** Records that an item ended. */
        void end() {
            running.decrementAndGet();
        }

        int count() {
            return started.size();
        }

        /** @return the started items, sorted */
        List<Integer> started() {
            return List.copyOf(new TreeSet<>(started));
        }

        int running() {
            return running.get();
        }

        int most() {
            return most.get();
        }
    }
}
