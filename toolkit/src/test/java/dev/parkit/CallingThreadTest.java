package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A small call of a function whose items are known to be tiny runs items on the calling thread
 * too, as a parallel stream does (waking threads would cost more than the items); a slow
 * function's, or a timed call's, never do; and the worker bound holds either way.
 */
class CallerHelpsTest {
    private static final int TRIES = 200;

    @Test
    void shouldRunASmallCallOfTinyItemsOnTheCallerOnceTheItemsAreKnownTiny() {
        Thread caller = Thread.currentThread();
        AtomicInteger onCaller = new AtomicInteger();
        ParFunction<Integer, Integer> square = x -> {
            if (Thread.currentThread() == caller) {
                onCaller.incrementAndGet();
            }
            return x * x;
        };
        // A loaded machine can make one chunk look slow, which stops the caller helping until
        // the next tiny chunk: retry rather than expect it of one call.
        for (int i = 0; i < TRIES && onCaller.get() == 0; i++) {
            assertEquals(List.of(0, 1, 4, 9, 16), pmap(square, range(5), options().workers(2)));
        }
        assertTrue(onCaller.get() > 0, "no item ran on the calling thread in " + TRIES + " calls");
    }

    @Test
    void shouldNeverRunASlowFunctionsItemsOnTheCaller() {
        Thread caller = Thread.currentThread();
        ParFunction<Integer, Integer> slow = x -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("ran on the caller");
            }
            Thread.sleep(2);
            return x;
        };
        for (int i = 0; i < 5; i++) {
            assertEquals(range(8), pmap(slow, range(8), options().workers(2)));
        }
    }

    @Test
    void shouldNeverRunATimedCallsItemsOnTheCaller() {
        Thread caller = Thread.currentThread();
        ParFunction<Integer, Integer> tiny = x -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("ran on the caller");
            }
            return x;
        };
        pmap(tiny, range(5)); // learns that its items are tiny
        for (int i = 0; i < 20; i++) {
            assertEquals(range(5), pmap(tiny, range(5), options().workers(2).timeout(Duration.ofSeconds(10))));
        }
    }

    @Test
    void shouldKeepAtMostWorkersItemsRunningWhenTheCallerHelps() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (var p = pool(2)) {
            ParFunction<Integer, Integer> counted = x -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                running.decrementAndGet();
                return x;
            };
            Thread[] callers = new Thread[3];
            java.util.Queue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int t = 0; t < callers.length; t++) {
                callers[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < TRIES; i++) {
                            assertEquals(range(20), p.pmap(counted, range(20)));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                callers[t].start();
            }
            for (Thread t : callers) {
                t.join(60_000);
                assertFalse(t.isAlive(), t + " did not finish");
            }
            assertEquals(List.of(), List.copyOf(errors));
        }
        assertTrue(most.get() <= 2, most.get() + " items ran at once on a pool of 2");
    }
}
