package dev.parkit.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread a test starts, that keeps what its body returned or threw (assertion failures
 * included, so none is lost on another thread) and whether it ended with its interrupt flag set.
 *
 * @param <V> what the body returns
 */
public final class Spawned<V> {
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<V> value = new AtomicReference<>();
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();
    private final AtomicBoolean interruptedAtEnd = new AtomicBoolean();
    private volatile long endNanos;

    private Spawned(String name, Callable<V> body) {
        thread = new Thread(() -> {
            started.countDown();
            try {
                value.set(body.call());
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                interruptedAtEnd.set(Thread.currentThread().isInterrupted());
                endNanos = System.nanoTime();
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts {@code body} on a new daemon thread. */
    public static <V> Spawned<V> start(String name, Callable<V> body) {
        Spawned<V> s = new Spawned<>(name, body);
        s.thread.start();
        return s;
    }

    public Thread thread() {
        return thread;
    }

    public void interrupt() {
        thread.interrupt();
    }

    /** Joins, failing the test if the thread is still alive after {@code within}. */
    public Spawned<V> join(Duration within) throws InterruptedException {
        thread.join(within.toMillis());
        assertFalse(thread.isAlive(), thread.getName() + " still runs after " + within + ": a hang");
        return this;
    }

    /** @return what the body threw, or null */
    public Throwable thrown() {
        return thrown.get();
    }

    /** @return what the body returned; fails the test if it threw */
    public V value() {
        Throwable e = thrown.get();
        if (e != null) {
            fail(thread.getName() + " threw " + e, e);
        }
        return value.get();
    }

    public boolean interruptedAtEnd() {
        return interruptedAtEnd.get();
    }

    public long endNanos() {
        return endNanos;
    }

    /** Spins for {@code nanos}, ignoring interrupts, as CPU-bound code that never checks them does. */
    public static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /**
     * Blocks until {@code release} opens, swallowing interrupts on the way (as code that catches
     * and ignores {@code InterruptedException} does) without burning a core; sets the interrupt
     * flag again before it returns if it swallowed one.
     */
    public static void blockIgnoringInterrupts(CountDownLatch release) {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins, ignoring interrupts, until {@code release} is set. */
    public static void spinUntil(AtomicBoolean release) {
        while (!release.get()) {
            Thread.onSpinWait();
        }
    }

    /**
     * A condition for Awaitility's {@code during(...)}: true while {@code counter} reads the same
     * as at the previous poll, so {@code await().during(d).until(unchanging(c))} waits until the
     * count has stopped moving for {@code d}.
     */
    public static java.util.concurrent.Callable<Boolean> unchanging(java.util.function.IntSupplier counter) {
        int[] last = {-1};
        return () -> {
            int now = counter.getAsInt();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        };
    }
}
