package dev.parkit.contract;

import static dev.parkit.testing.Spawned.spinUntil;

import dev.parkit.ParFunction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * A function that records each item's start in {@code probe} and spins on item {@code deaf},
     * ignoring interrupts, until the test calls {@link #release()}.
     */
    static final class DeafSpinner {
        final Probe probe = new Probe();
        private final int deaf;
        private final CountDownLatch spinning = new CountDownLatch(1);
        private final AtomicBoolean release = new AtomicBoolean();
        private final CountDownLatch spun = new CountDownLatch(1);

        DeafSpinner(int deaf) {
            this.deaf = deaf;
        }

        ParFunction<Integer, Integer> function() {
            return x -> {
                if (warmUp(x)) {
                    return x;
                }
                probe.start(x);
                probe.end();
                if (x == deaf) {
                    spinning.countDown();
                    spinUntil(release);
                    spun.countDown();
                }
                return x;
            };
        }

        /** @return true once the deaf item spins, within {@code within} */
        boolean spinning(Duration within) throws InterruptedException {
            return spinning.await(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the deaf item end. */
        void release() {
            release.set(true);
        }

        /** @return true once the deaf item has ended, within {@code within} */
        boolean spun(Duration within) throws InterruptedException {
            return spun.await(within.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
