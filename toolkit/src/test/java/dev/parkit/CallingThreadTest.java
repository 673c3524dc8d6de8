package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The calling thread never runs items of its own call, however small the call and however tiny
 * its items are known to be: nothing could abandon an item that ignores interrupts on it. Here as
 * stress on the shared pools and a pool of two, with many calls and callers; the contract suite's
 * {@code WorkersContract} holds every mapper to it, and to running a function's items side by
 * side whatever ParKit learned of it or of another function of its class.
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
