package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The calling thread never runs items of its own call, however small the call and however tiny
 * its items are known to be: nothing could abandon an item that ignores interrupts on it. And
 * what ParKit learns of a function's item cost never makes a slow function's items run one after
 * another (the lambdas of one factory each have their own cost).
 */
class CallingThreadTest {
    private static final int TRIES = 200;

    @Test
    void shouldNeverRunItemsOnTheCallingThreadEvenForAWarmSmallCallOfTinyItems() {
        Thread caller = Thread.currentThread();
        ParFunction<Integer, Integer> square = x -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("item " + x + " ran on the calling thread");
            }
            return x * x;
        };
        for (int i = 0; i < TRIES; i++) { // learned as tiny after the first few
            assertEquals(List.of(0, 1, 4, 9, 16), pmap(square, range(5), options().workers(2)));
            assertEquals(List.of(0, 1, 4, 9, 16), pimap(square, range(5)).toList());
        }
    }

    /** A factory of lambdas of one class: {@code gate(null)} is instant, {@code gate(b)} waits for its partner items. */
    private static ParFunction<Integer, Integer> gate(CyclicBarrier partners) {
        return x -> {
            if (partners != null) {
                partners.await(10, TimeUnit.SECONDS); // every item needs a partner running at the same time
            }
            return x;
        };
    }

    @Test
    void shouldNotLetALambdaOfTheSameFactoryInheritAnotherOnesTinyCost() {
        for (int i = 0; i < 20; i++) {
            pmap(gate(null), range(100, 164), options().workers(2)); // instant items of the factory's class
        }
        // Items that can only finish in pairs: they must run two at a time from the start, on a
        // list and on a stream (whose chunks a tiny cost would make one chunk of all four).
        assertEquals(range(4), pmap(gate(new CyclicBarrier(2)), range(4), options().workers(2)));
        assertEquals(range(4), pmap(gate(new CyclicBarrier(2)), range(4).stream(), options().workers(2)));
    }

    @Test
    void shouldStillRunAFunctionsItemsSideBySideWhenTheyTurnSlowAfterBeingTiny() {
        CyclicBarrier partners = new CyclicBarrier(2);
        boolean[] slow = {false};
        ParFunction<Integer, Integer> f = x -> { // one object: a memoised fetch, tiny on a hit, slow on a miss
            if (slow[0]) {
                partners.await(10, TimeUnit.SECONDS); // fails unless another item runs at the same time
                Thread.sleep(20); // the miss itself
            }
            return x;
        };
        List<java.util.function.Supplier<List<Integer>>> calls = List.of(
                () -> pmap(f, range(4), options().workers(2)),
                () -> pmap(f, range(4).stream(), options().workers(2)),
                () -> pimap(f, range(4).stream(), options().workers(2)).toList(),
                () -> pmap(f, (Iterable<Integer>) () -> range(4).iterator(), options().workers(2)), // read fast, size unknown
                () -> pmap(f, range(256), options().workers(2)));
        for (var call : calls) {
            slow[0] = false;
            for (int i = 0; i < 20; i++) {
                assertEquals(range(100, 164), pmap(f, range(100, 164), options().workers(2)));
            }
            slow[0] = true;
            List<Integer> out = call.get();
            assertEquals(range(out.size()), out);
        }
    }

    @Test
    void shouldKeepAtMostWorkersItemsRunningForManyCallersAtOnce() throws Exception {
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
