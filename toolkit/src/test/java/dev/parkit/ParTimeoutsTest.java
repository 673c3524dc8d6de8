package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.testing.Spawned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A timeout bounds every kind of call (issue 18, items 5 and 6): an item that ignores its
 * timeout's interrupt holds back neither {@code pmapCollect} nor {@code retry}, nor the next call;
 * and time spent waiting for the source is not an item's time.
 *
 * <p>A deaf item here blocks until the test opens a latch, which it does only in a
 * {@code finally}: a call that waits for that item cannot return, and the test's own bound
 * ({@code assertTimeoutPreemptively}) fails it instead of hanging.
 */
class ParTimeoutsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Far longer than a call that does not wait for the deaf item takes; only a broken engine meets it. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Where a call runs. */
    enum Where {
        SHARED, POOL, IO_POOL;

        Target open() {
            return new Target(switch (this) {
                case SHARED -> null;
                case POOL -> pool(2);
                case IO_POOL -> ioPool(2);
            });
        }
    }

    /** The shared pools (pool == null) or a pool of two workers. */
    record Target(Pool<Void> pool) implements AutoCloseable {
        <T, R> MapResult<T, R> collect(ParFunction<T, R> f, List<T> xs, Options o) {
            return pool == null ? pmapCollect(f, xs, o) : pool.pmapCollect(f, xs, o);
        }

        <T, R> List<R> map(ParFunction<T, R> f, List<T> xs, Options o) {
            return pool == null ? pmap(f, xs, o) : pool.pmap(f, xs, o);
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Sleeps for {@code millis}, ignoring interrupts (the flag is set again at the end if one came). */
    private static void deafSleep(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code r} has item {@code stuck}'s timeout as its only failures, and {@code 10 * x} for every other item. */
    private static void assertTimedOutAndValues(MapResult<Integer, Integer> r, int n, List<Integer> stuck) {
        assertEquals(stuck, r.failures().stream().map(f -> (int) f.index()).toList(), r.toString());
        for (Failure<Integer> f : r.failures()) {
            assertInstanceOf(TimeoutException.class, f.error(), r.toString());
            assertEquals((int) f.index(), f.input(), "the failure shows its own item");
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(stuck.contains(i) ? null : 10 * i);
        }
        assertEquals(expected, r.values());
    }

    /**
     * Two items that each wait for the other both run: the target's two workers are both free.
     * The timeout keeps the calling thread out: in a small call of a function learned tiny (as
     * this one is after its first use) it runs items too (Par's class doc), and its item would
     * wait for the other, which the workers it has not woken yet never start.
     */
    private static void assertTwoItemsRunAtOnce(Target t) {
        CyclicBarrier both = new CyclicBarrier(2);
        List<Integer> ys = assertTimeoutPreemptively(BOUND, () -> t.map(x -> {
            both.await(5, TimeUnit.SECONDS); // a TimeoutException here: only one worker was free
            return x;
        }, range(2), options().workers(2).timeout(BOUND)));
        assertEquals(range(2), ys);
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void shouldReturnFromPmapCollectWhileATimedOutItemIgnoresItsInterrupt(Where where) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        ParFunction<Integer, Integer> f = x -> {
            runs.incrementAndGet(x);
            if (x == 0) {
                Spawned.blockIgnoringInterrupts(release);
            }
            return 10 * x;
        };
        Target t = where.open();
        try {
            // Chunks of 4: items 1 to 3 wait behind the deaf item 0 in its worker's chunk.
            MapResult<Integer, Integer> r = assertTimeoutPreemptively(BOUND,
                    () -> t.collect(f, range(8), options().timeout(TIMEOUT).chunkSize(4)),
                    "pmapCollect waited for the item that ignores its timeout");
            assertEquals(1, release.getCount(), "returned while the deaf item still runs");
            assertTimedOutAndValues(r, 8, List.of(0));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, runs.get(i), "item " + i + " ran exactly once");
            }
            if (where != Where.IO_POOL) { // how many items an IO pool has in flight is issue 18's item 9
                assertTwoItemsRunAtOnce(t);
            }
            if (t.pool() != null) {
                release.countDown();
                t.close(); // waits for the stuck thread to end
                for (int i = 0; i < 8; i++) {
                    assertEquals(1, runs.get(i), "item " + i + " ran only once");
                }
                assertNull(r.values().get(0), "the stuck item's late result is dropped");
            }
        } finally {
            release.countDown();
            t.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldHandOnTheRestOfAChunkPastEachDeafItemInIt(boolean fromStream) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        ParFunction<Integer, Integer> f = x -> {
            runs.incrementAndGet(x);
            if (x == 1 || x == 2) {
                Spawned.blockIgnoringInterrupts(release);
            }
            return 10 * x;
        };
        Target t = Where.POOL.open();
        try {
            // One chunk of 8 on one worker: items 1 and 2 both ignore their timeouts. A list is
            // read in place; a stream is copied into chunks that keep their own results.
            Options o = options().timeout(TIMEOUT).chunkSize(8);
            MapResult<Integer, Integer> r = assertTimeoutPreemptively(BOUND,
                    () -> fromStream ? t.pool().pmapCollect(f, range(8).stream(), o) : t.collect(f, range(8), o),
                    "pmapCollect waited for an item that ignores its timeout");
            assertEquals(1, release.getCount(), "returned while the deaf items still run");
            assertTimedOutAndValues(r, 8, List.of(1, 2));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, runs.get(i), "item " + i + " ran exactly once");
            }
            assertTwoItemsRunAtOnce(t);
            release.countDown();
            t.close(); // waits for the stuck threads to end
            assertEquals(Arrays.asList(0, null, null, 30), r.values().subList(0, 4), "late results are dropped");
        } finally {
            release.countDown();
            t.close();
        }
    }

    @Test
    void shouldReturnFromRetryWhileATimedOutItemIgnoresItsInterrupt() {
        MapResult<Integer, Integer> first = pmapCollect(x -> {
            if (x % 3 == 2) {
                throw new IllegalStateException("flaky " + x);
            }
            return 10 * x;
        }, range(9));
        assertEquals(List.of(2L, 5L, 8L), first.failures().stream().map(Failure::index).toList());
        CountDownLatch release = new CountDownLatch(1);
        try {
            MapResult<Integer, Integer> r = assertTimeoutPreemptively(BOUND, () -> first.retry(x -> {
                if (x == 5) {
                    Spawned.blockIgnoringInterrupts(release);
                }
                return 10 * x;
            }, options().timeout(TIMEOUT)), "retry waited for the item that ignores its timeout");
            assertEquals(1, release.getCount(), "returned while the deaf item still runs");
            assertTimedOutAndValues(r, 9, List.of(5));
            assertTwoItemsRunAtOnce(Where.SHARED.open());
        } finally {
            release.countDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pmap", "pimap", "pimapUnordered", "pmapCollect"})
    void shouldNotCountWaitingForASlowSourceAsAnItemsTime(String op) {
        Options o = options().timeout(Duration.ofMillis(50));
        AtomicInteger n = new AtomicInteger();
        // Each item takes 250 ms to arrive, five times the timeout, and no time to map.
        Stream<Integer> slow = Stream.generate(() -> {
            deafSleep(250);
            return n.getAndIncrement();
        }).limit(3);
        ParFunction<Integer, Integer> f = x -> 10 * x;
        List<Integer> got = assertTimeoutPreemptively(BOUND, () -> switch (op) {
            case "pmap" -> pmap(f, slow, o);
            case "pimap" -> pimap(f, slow, o).toList();
            case "pimapUnordered" -> pimapUnordered(f, slow, o).sorted().toList();
            default -> {
                MapResult<Integer, Integer> r = pmapCollect(f, slow, o);
                assertEquals(List.of(), r.failures(), op);
                yield r.values();
            }
        }, op);
        assertEquals(Arrays.asList(0, 10, 20), got, op);
    }
}
