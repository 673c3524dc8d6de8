package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static dev.parkit.testing.Spawned.blockIgnoringInterrupts;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.MapResult;
import dev.parkit.ParFunction;
import dev.parkit.testing.Spawned;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Interrupting the calling thread: a {@code CancellationException} with the flag set, never an
 * item failure; no item starts after it; the call returns within about a second even while an
 * item ignores the interrupt; the next call runs at full parallelism. Items that ignore
 * interrupts block on a latch or spin on a flag that the test releases once it has checked.
 */
interface InterruptContract extends MapperUnderTest {

    /** The caller ended by a {@code CancellationException} with its interrupt flag set, not by an item failure. */
    private static CancellationException assertCancelled(Spawned<?> caller) {
        Throwable e = caller.thrown();
        assertNotNull(e, () -> "the interrupted call returned " + caller.value() + " (interrupt flag "
                + (caller.interruptedAtEnd() ? "set" : "cleared") + ") instead of throwing");
        if (!(e instanceof CancellationException c)) {
            throw new AssertionError("the interrupt became " + e + ", not a CancellationException", e);
        }
        assertTrue(caller.interruptedAtEnd(), "the caller's interrupt flag must be set again");
        return c;
    }

    @Test
    default void shouldThrowCancellationWithTheFlagSetWhenInterruptedDuringASleepingItem() throws Exception {
        // Issue 18's second case: item 5 in Thread.sleep, interrupted, was "item 5 failed: InterruptedException".
        CountDownLatch sleeping = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (x == 5) {
                sleeping.countDown();
                Thread.sleep(5_000);
            }
            return x;
        };
        Spawned<List<Integer>> caller = Spawned.start("caller", () -> mapper().pmap(f, range(10), options().workers(1)));
        assertTrue(sleeping.await(HANG.toMillis(), TimeUnit.MILLISECONDS));
        caller.interrupt();
        caller.join(HANG);
        assertCancelled(caller);
    }

    @Test
    default void shouldStartNoItemWhenTheCallerWasInterruptedBeforeTheCall() throws Exception {
        // Issue 18's second case, again: items that put into a queue were "item 0 failed:
        // InterruptedException", the flag cleared. As ExecutorService.invokeAll: no item starts.
        BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        AtomicInteger started = new AtomicInteger();
        ParFunction<Integer, Integer> put = x -> {
            if (!warmUp(x)) {
                started.incrementAndGet();
                queue.put(x); // throws InterruptedException on an interrupted thread
            }
            return x;
        };
        for (String op : List.of("pmap", "pimap", "pimapUnordered", "pmapCollect")) {
            Spawned<Object> caller = Spawned.start("caller", () -> {
                Thread.currentThread().interrupt();
                var o = options().workers(WORKERS);
                return switch (op) {
                    case "pmap" -> mapper().pmap(put, range(10), o);
                    case "pimap" -> mapper().pimap(put, range(10), o).toList();
                    case "pimapUnordered" -> mapper().pimapUnordered(put, range(10), o).toList();
                    default -> mapper().pmapCollect(put, range(10), o);
                };
            });
            caller.join(HANG);
            CancellationException e = assertCancelled(caller);
            assertTrue(e.getMessage().contains("interrupted"), op + ": " + e.getMessage());
            assertEquals(0, started.get(), op + ": items started for a caller already interrupted");
        }
        await().during(GLANCE).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(0, started.get(),
                "items started after their call, of a caller already interrupted, threw"));
    }

    @Test
    default void shouldStopALazyCallWhoseConsumerIsInterruptedWhileResultsAreReady() throws Exception {
        // A consumer slower than the workers (one that plots or writes each result) never waits
        // for a result, so only a check at each result sees its interrupt: without it, 971 items
        // started after the interrupt of such a consumer and the stream ran to its end.
        int n = 50;
        AtomicInteger ran = new AtomicInteger();
        ParFunction<Integer, Integer> f = x -> {
            ran.incrementAndGet();
            return x;
        };
        for (boolean ordered : List.of(true, false)) {
            ran.set(0);
            AtomicInteger consumed = new AtomicInteger();
            Spawned<Integer> caller = Spawned.start("consumer", () -> {
                var o = options().workers(WORKERS);
                try (java.util.stream.Stream<Integer> s = ordered ? mapper().pimap(f, range(n), o)
                        : mapper().pimapUnordered(f, range(n), o)) {
                    java.util.Iterator<Integer> it = s.iterator();
                    it.next();
                    consumed.incrementAndGet();
                    // Results are ready beyond the one read (a lazy call runs at most a window ahead).
                    await().atMost(HANG).until(() -> ran.get() >= 4);
                    Thread.currentThread().interrupt();
                    while (it.hasNext()) {
                        it.next();
                        consumed.incrementAndGet();
                    }
                    return consumed.get();
                }
            });
            caller.join(HANG);
            String op = ordered ? "pimap" : "pimapUnordered";
            CancellationException e = assertCancelled(caller);
            assertTrue(e.getMessage().contains("interrupted"), op + ": " + e.getMessage());
            assertEquals(1, consumed.get(), op + ": results consumed after the consumer was interrupted");
        }
    }

    @Test
    default void shouldThrowCancellationNotCollectAFailureWhenPmapCollectIsInterrupted() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (x == 3) {
                sleeping.countDown();
                Thread.sleep(5_000);
            }
            return x;
        };
        Spawned<MapResult<Integer, Integer>> caller = Spawned.start("caller",
                () -> mapper().pmapCollect(f, range(10), options().workers(1)));
        assertTrue(sleeping.await(HANG.toMillis(), TimeUnit.MILLISECONDS));
        caller.interrupt();
        caller.join(HANG);
        assertCancelled(caller);
    }

    @Test
    default void shouldReturnWithinAboutASecondWhileAnInterruptedItemIgnoresIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (x == 5) {
                running.countDown();
                blockIgnoringInterrupts(release);
            }
            return x;
        };
        Spawned<List<Integer>> caller = Spawned.start("caller", () -> mapper().pmap(f, range(10), options().workers(1)));
        try {
            assertTrue(running.await(HANG.toMillis(), TimeUnit.MILLISECONDS));
            caller.interrupt();
            caller.join(SOON);
        } finally {
            release.countDown();
        }
        CancellationException e = assertCancelled(caller);
        assertTrue(namesTheItemStillRunning(e.getMessage(), 5), e.getMessage());
    }

    /**
     * Whether a stopped call's message names item {@code item} as the one still running (after
     * {@link #shouldReturnWithinAboutASecondWhileAnInterruptedItemIgnoresIt}'s one second), as
     * local calls do. A mapper whose items run elsewhere may name the chunk instead, and says so by
     * overriding this.
     */
    default boolean namesTheItemStillRunning(String message, int item) {
        return message.contains("item " + item + " was still running");
    }

    @Test
    default void shouldStartNoItemAfterTheInterruptWhileAnItemIgnoresIt() throws Exception {
        // Issue 18's first case: item 5 spins, deaf to interrupts, on the only worker; 6 to 9 started after it.
        Items.DeafSpinner spinner = new Items.DeafSpinner(5);
        Items.Probe probe = spinner.probe;
        ParFunction<Integer, Integer> f = spinner.function();
        Spawned<List<Integer>> caller = Spawned.start("caller", () -> mapper().pmap(f, range(10), options().workers(1)));
        List<Integer> atInterrupt;
        try {
            assertTrue(spinner.spinning(HANG));
            atInterrupt = probe.started();
            caller.interrupt();
            caller.join(SOON);
        } finally {
            spinner.release();
        }
        assertCancelled(caller);
        assertTrue(spinner.spun(HANG));
        await().during(QUIET).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(atInterrupt, probe.started(),
                "no item may start after the interrupt"));
        assertEquals(range(6), probe.started(), "items 6 to 9 must never start");
    }

    @Test
    default void shouldCancelPimapWhenItsConsumerIsInterruptedWhileAnItemIgnoresIt() throws Exception {
        Items.Probe probe = new Items.Probe();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (warmUp(x)) {
                return x;
            }
            probe.start(x);
            probe.end();
            if (x == 3) {
                running.countDown();
                blockIgnoringInterrupts(release);
            }
            return x;
        };
        Spawned<Long> consumer = Spawned.start("consumer",
                () -> mapper().pimap(f, range(20), options().workers(1)).count());
        int atInterrupt;
        try {
            assertTrue(running.await(HANG.toMillis(), TimeUnit.MILLISECONDS));
            atInterrupt = probe.count();
            consumer.interrupt();
            consumer.join(SOON);
        } finally {
            release.countDown();
        }
        assertCancelled(consumer);
        await().during(QUIET).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(atInterrupt, probe.count(),
                "no item may start after the interrupt"));
    }

    @Test
    default void shouldRunTheNextCallAtFullParallelismAfterStuckItems() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Spawned<List<Integer>> caller = Spawned.start("caller", () -> mapper().pmap(x -> {
                if (!warmUp(x)) {
                    bothRunning.countDown();
                    blockIgnoringInterrupts(release);
                }
                return x;
            }, range(10), options().workers(2).chunkSize(1)));
            assertTrue(bothRunning.await(MEET.toMillis(), TimeUnit.MILLISECONDS), "two items never ran at once");
            caller.interrupt();
            caller.join(HANG);
            assertCancelled(caller);
            CyclicBarrier two = new CyclicBarrier(2);
            List<Integer> next = assertTimeoutPreemptively(HANG, () -> mapper().pmap(x -> {
                if (!warmUp(x)) {
                    two.await(MEET.toMillis(), TimeUnit.MILLISECONDS); // passes only when two items run at once
                }
                return x;
            }, range(2), options().workers(2).chunkSize(1)));
            assertEquals(range(2), next);
        } finally {
            release.countDown();
        }
    }
}
