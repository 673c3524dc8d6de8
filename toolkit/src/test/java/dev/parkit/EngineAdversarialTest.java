package dev.parkit;

import static dev.parkit.Par.*;
import static dev.parkit.testing.Spawned.blockIgnoringInterrupts;
import static dev.parkit.testing.Spawned.spin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.testing.Sources;
import dev.parkit.testing.Spawned;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine under adversarial use: each test is one way a call used to hang, lose an item, close
 * a state in use or report the wrong failure, named for what must hold instead. Expectations
 * ported from CPython's multiprocessing.Pool tests and parallel-collectors' tests, plus our own.
 */
class EngineAdversarialTest {
    private static final Duration HANG = Duration.ofSeconds(20);

    /** Tracks how many items run at once. */
    private static final class Concurrency {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        <T> T during(T x, long sleepMs) throws InterruptedException {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(sleepMs);
            } finally {
                now.decrementAndGet();
            }
            return x;
        }
    }

    // 1
    @Test
    void shouldFailNotHangWhenTheSourceThrowsACheckedException() {
        ParException e = assertTimeoutPreemptively(HANG, () -> assertThrows(ParException.class,
                () -> pmap(x -> x, Sources.failingAt(10, 3, new IOException("disk gone")), options().chunkSize(1))));
        assertEquals(3, e.index());
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getMessage().contains("item 3 (null) could not be read from the source"), e.getMessage());
    }

    // 2
    @Test
    void shouldReleaseEveryCallerWhenTheirPoolCloses() throws Exception {
        Pool<Void> pool = pool(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Spawned<List<Object>> a = Spawned.start("caller-a", () -> pool.pmap(x -> {
            running.countDown();
            never.await();
            return x;
        }, range(3)));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        Spawned<List<Object>> b = Spawned.start("caller-b", () -> pool.pmap(x -> x, range(3)));
        await().atMost(HANG).until(() -> b.thread().getState() == Thread.State.TIMED_WAITING
                || b.thread().getState() == Thread.State.WAITING || !b.thread().isAlive());
        pool.close();
        a.join(HANG);
        b.join(HANG);
        for (Spawned<?> s : List.of(a, b)) {
            if (s.thrown() != null) {
                assertInstanceOf(CancellationException.class, s.thrown());
                assertTrue(s.thrown().getMessage().contains("was closed"), s.thrown().getMessage());
            }
        }
        assertNotNull(a.thrown(), "the running call must not complete: its pool was closed");
    }

    // 3
    @Test
    void shouldKeepServingCallersWhileTheSharedPoolsShutDown() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger[] calls = new AtomicInteger[4];
        List<Spawned<Integer>> callers = new ArrayList<>();
        for (int t = 0; t < calls.length; t++) {
            AtomicInteger mine = calls[t] = new AtomicInteger();
            callers.add(Spawned.start("caller-" + t, () -> {
                while (!stop.get()) {
                    assertEquals(range(50), pmap(x -> x, range(50)));
                    mine.incrementAndGet();
                }
                return mine.get();
            }));
        }
        // Every caller is in its loop before the pools shut down under it, and each is still
        // served after: a call that completes once the shutdowns are over.
        await().atMost(HANG).until(() -> java.util.Arrays.stream(calls).allMatch(c -> c.get() > 0));
        for (int i = 0; i < 50; i++) {
            shutdown();
            Thread.yield();
        }
        int[] before = java.util.Arrays.stream(calls).mapToInt(AtomicInteger::get).toArray();
        await().atMost(HANG).until(() -> java.util.stream.IntStream.range(0, calls.length)
                .allMatch(t -> calls[t].get() > before[t]));
        stop.set(true);
        for (Spawned<Integer> c : callers) {
            assertTrue(c.join(HANG).value() > 0);
        }
    }

    /** A worker state that records being closed while an item used it. */
    static final class Session implements AutoCloseable {
        static final AtomicInteger CLOSED_IN_USE = new AtomicInteger();
        static final AtomicInteger CLOSED = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();

        <T> T use(T x, Runnable work) {
            inUse.incrementAndGet();
            try {
                work.run();
                return x;
            } finally {
                inUse.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (inUse.get() > 0) {
                CLOSED_IN_USE.incrementAndGet();
            }
            CLOSED.incrementAndGet();
        }
    }

    // 4
    @Test
    void shouldNotCloseAStateWhileAnItemThatIgnoresInterruptsStillUsesIt() throws Exception {
        Session.CLOSED_IN_USE.set(0);
        Session.CLOSED.set(0);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Spawned<Void> cell = Spawned.start("cell", () -> {
            try (var p = pool(2, Session::new)) {
                p.pmap((s, x) -> s.use(x, () -> {
                    bothRunning.countDown();
                    blockIgnoringInterrupts(release);
                }), range(4));
            }
            return null;
        });
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
        cell.interrupt();
        cell.join(HANG);
        assertInstanceOf(CancellationException.class, cell.thrown());
        assertEquals(0, Session.CLOSED_IN_USE.get(), "a session was closed while an item used it");
        release.countDown();
        await().atMost(HANG).until(() -> Session.CLOSED.get() == 2);
        assertEquals(0, Session.CLOSED_IN_USE.get());
    }

    // 5
    @Test
    void shouldNotCloseTheOtherWorkersStateWhenClosedFromInsideTheFunction() throws Exception {
        Session.CLOSED_IN_USE.set(0);
        Session.CLOSED.set(0);
        CountDownLatch otherRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Pool<Session> p = pool(2, Session::new);
        Spawned<List<Object>> cell = Spawned.start("cell", () -> p.pmap((s, x) -> s.use(x, () -> {
            if (x == 0) {
                try {
                    assertTrue(otherRunning.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                p.close();
                release.countDown();
            } else {
                otherRunning.countDown();
                blockIgnoringInterrupts(release);
            }
        }), range(2), options().chunkSize(1)));
        cell.join(HANG);
        await().atMost(HANG).until(() -> Session.CLOSED.get() == 2);
        assertEquals(0, Session.CLOSED_IN_USE.get(), "close() from inside f closed a session in use");
    }

    // 6
    @Test
    void shouldReturnEveryItemAsAValueOrAFailureWhenAnInitializerFails() {
        AtomicInteger inits = new AtomicInteger();
        int n = 200_000;
        MapResult<Integer, Integer> r;
        try (var p = pool(2, () -> {
            if (inits.incrementAndGet() == 1) {
                throw new IOException("no licence for this worker");
            }
            return "state";
        })) {
            r = p.pmapCollect((s, x) -> x + 1, range(n));
        }
        assertEquals(n, r.values().size());
        Set<Long> failed = new LinkedHashSet<>();
        for (Failure<Integer> f : r.failures()) {
            assertInstanceOf(IOException.class, f.error());
            assertEquals((int) f.index(), f.input());
            failed.add(f.index());
        }
        assertFalse(failed.isEmpty(), "the failing initializer must show up as failures");
        for (int i = 0; i < n; i++) {
            boolean hasValue = r.values().get(i) != null;
            assertTrue(hasValue ^ failed.contains((long) i), "item " + i + ": value " + r.values().get(i)
                    + ", failed " + failed.contains((long) i));
            if (hasValue) {
                assertEquals(i + 1, r.values().get(i));
            }
        }
    }

    // 7
    @Test
    void shouldNotLeakATimeoutsInterruptIntoTheNextItem() {
        ParFunction<Integer, Integer> f = x -> {
            if (x == 0) {
                spin(TimeUnit.MILLISECONDS.toNanos(500));
            }
            Thread.sleep(1);
            return x;
        };
        MapResult<Integer, Integer> r = pmapCollect(f, range(4),
                options().timeout(Duration.ofMillis(100)).workers(1).chunkSize(4));
        assertEquals(1, r.failures().size(), r.toString());
        assertEquals(0, r.failures().get(0).index());
        assertInstanceOf(TimeoutException.class, r.failures().get(0).error());
        assertEquals(java.util.Arrays.asList(null, 1, 2, 3), r.values());
    }

    @Test
    void shouldNotLeakATimeoutsInterruptEvenWhenTheFunctionRestoresTheFlag() {
        ParFunction<Integer, Integer> f = x -> {
            if (x == 0) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // as Java's guidelines advise
                    return -1;
                }
            }
            Thread.sleep(1);
            return x;
        };
        MapResult<Integer, Integer> r = pmapCollect(f, range(4),
                options().timeout(Duration.ofMillis(100)).workers(1).chunkSize(4));
        assertEquals(1, r.failures().size(), r.toString());
        assertInstanceOf(TimeoutException.class, r.failures().get(0).error());
        assertEquals(java.util.Arrays.asList(null, 1, 2, 3), r.values());
    }

    // 8
    @Test
    void shouldDeliverEveryItemReadBeforeTheSourceFailed() {
        List<Object> got = new ArrayList<>();
        ParException e = assertThrows(ParException.class, () -> pimap(x -> x,
                Sources.failingAt(10, 5, new StackOverflowError("source broke")), options().chunkSize(10)).forEach(got::add));
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        assertEquals(5, e.index());
        assertInstanceOf(StackOverflowError.class, e.getCause());
    }

    // 9
    @Test
    void shouldRefuseARangeLargerThanAListCanHold() {
        var e = assertThrows(IllegalArgumentException.class, () -> range(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("4294967295 items, more than a list can hold"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> range(-2, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, range(-1, Integer.MAX_VALUE - 1).size());
    }

    // 10
    @Test
    void shouldStopWorkPromptlyWhenAPoolIsClosed() throws Exception {
        AtomicInteger started = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(3);
        Pool<Void> p = pool(3);
        Spawned<List<Object>> caller = Spawned.start("caller", () -> p.pmap(x -> {
            started.incrementAndGet();
            running.countDown();
            spin(TimeUnit.MILLISECONDS.toNanos(300));
            return x;
        }, range(10_000)));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        p.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        int atClose = started.get();
        caller.join(HANG);
        assertInstanceOf(CancellationException.class, caller.thrown());
        assertTrue(closeMs < 5_000, "close() took " + closeMs + " ms");
        await().during(Duration.ofMillis(700)).atMost(HANG).until(() -> started.get() == atClose);
    }

    // 11
    @Test
    void shouldStopAnAbandonedPimapAndNotStarveTheNextCall() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> first = pimap(x -> {
            calls.incrementAndGet();
            Thread.sleep(20);
            return x;
        }, Stream.iterate(0, i -> i + 1)).limit(3).toList();
        assertEquals(List.of(0, 1, 2), first);
        await().during(Duration.ofMillis(300)).atMost(HANG).until(dev.parkit.testing.Spawned.unchanging(calls::get));
        assertTrue(calls.get() < 60, calls.get() + " calls of f for 3 results taken");
        assertEquals(List.of(0, 1, 4, 9), assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> pmap(x -> x * x, range(4))));
    }

    // 12
    @Test
    void shouldDeliverItemsOfASlowSourceAsTheyArrive() {
        // 60 items 25 ms apart: a source of 1.5 s, so a stream that held its results back until
        // the source ended would show a lag of about 1.5 s, twice the bound.
        int n = 60;
        for (boolean ordered : new boolean[] {true, false}) {
            long[] produced = new long[n];
            Iterator<Integer> slow = slowSource(produced); // a fresh one per mode: one source, one pass
            long[] maxLagMs = {0};
            int[] seen = {0};
            Stream<Integer> s = ordered ? pimap(x -> x, () -> slow) : pimapUnordered(x -> x, () -> slow);
            s.forEach(x -> {
                seen[0]++;
                maxLagMs[0] = Math.max(maxLagMs[0], (System.nanoTime() - produced[x]) / 1_000_000);
            });
            String mode = ordered ? "pimap" : "pimapUnordered";
            assertEquals(n, seen[0], mode + ": every item comes back");
            assertTrue(maxLagMs[0] < 750, mode + ": a result came " + maxLagMs[0] + " ms after its item");
        }
    }

    /** 0 to {@code produced.length - 1}, one every 25 ms, each noting in {@code produced} when it came. */
    private static Iterator<Integer> slowSource(long[] produced) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < produced.length;
            }

            @Override
            public Integer next() {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                produced[i] = System.nanoTime();
                return i++;
            }
        };
    }

    // 13
    @Test
    void shouldCountTheHelpingCallerInTheWorkerBound() {
        Concurrency inner = new Concurrency();
        List<List<Integer>> got = assertTimeoutPreemptively(HANG, () -> pmap(
                x -> pmap(y -> inner.during(y, 2), range(40), options().workers(2)), range(2), options().workers(2)));
        assertEquals(2, got.size());
        assertTrue(inner.max.get() <= 4, "two nested calls of 2 workers ran " + inner.max.get() + " items at once");
        Concurrency one = new Concurrency();
        assertTimeoutPreemptively(HANG, () -> pmap(
                x -> pmap(y -> one.during(y, 2), range(40), options().workers(2)), range(1), options().workers(1)));
        assertTrue(one.max.get() <= 2, "a nested call of 2 workers ran " + one.max.get() + " items at once");
    }

    // 14
    @Test
    void shouldBoundAnIoPoolAcrossCallers() throws Exception {
        Concurrency c = new Concurrency();
        try (Pool<Void> io = ioPool(2)) {
            List<Spawned<List<Object>>> callers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                callers.add(Spawned.start("io-caller-" + t, () -> io.pmap(x -> c.during(x, 20), range(6))));
            }
            for (Spawned<List<Object>> s : callers) {
                assertEquals(6, s.join(HANG).value().size());
            }
        }
        assertTrue(c.max.get() <= 2, "ioPool(2) ran " + c.max.get() + " items at once");
    }

    /** An exception whose every description throws. */
    static final class Nasty extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("no text for you");
        }
    }

    // 15
    @Test
    void shouldNameTheItemEvenWhenTheExceptionCannotDescribeItself() {
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            if (x == 7) {
                throw new Nasty();
            }
            return x;
        }, range(10)));
        assertEquals(7, e.index());
        assertInstanceOf(Nasty.class, e.getCause());
        assertTrue(e.getMessage().startsWith("item 7 (7) failed: "), e.getMessage());
        List<Object> got = new ArrayList<>();
        ParException lazy = assertThrows(ParException.class, () -> pimap(x -> {
            if (x == 7) {
                throw new Nasty();
            }
            return x;
        }, range(10)).forEach(got::add));
        assertEquals(7, lazy.index());
        assertEquals(range(7), got);
    }

    // 16
    @Test
    void shouldNameTheItemEvenWhenItsToStringOverflowsTheStack() {
        Object deep = new Object() {
            @Override
            public String toString() {
                return toString();
            }
        };
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            throw new IllegalArgumentException("bad");
        }, List.of(deep)));
        assertEquals(0, e.index());
        assertTrue(e.getMessage().contains("toString threw java.lang.StackOverflowError"), e.getMessage());
    }

    // 17
    @Test
    void shouldKeepMessagesShortForHugeItemsAndCauses() {
        byte[] huge = new byte[20_000_000];
        String longText = "x".repeat(1_000_000);
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            throw new IllegalStateException(longText);
        }, List.of(huge)));
        assertTrue(e.getMessage().length() < 500, e.getMessage().length() + " characters");
        assertTrue(e.getMessage().startsWith("item 0 ([0, 0, 0"), e.getMessage());
        MapResult<byte[], Object> r = pmapCollect(x -> {
            throw new IllegalStateException(longText);
        }, List.of(huge));
        assertTrue(r.toString().length() < 1_000);
        assertTrue(r.toHtml().length() < 2_000);
    }

    // 18
    @Test
    void shouldAcceptAChunkSizeLargerThanTheInput() {
        Options huge = options().chunkSize(Integer.MAX_VALUE);
        assertEquals(List.of(2, 4, 6), pmap(x -> x * 2, Stream.of(1, 2, 3), huge));
        assertEquals(Set.of(2, 4, 6), Set.copyOf(pmap(x -> x * 2, Set.of(1, 2, 3), huge)));
        assertEquals(List.of(2, 4, 6), pimap(x -> x * 2, Stream.of(1, 2, 3), huge).toList());
    }

    // 19
    @Test
    void shouldRefuseATimeoutLongerThanNanosecondsCanHold() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> options().timeout(Duration.ofSeconds(Long.MAX_VALUE)));
        assertTrue(e.getMessage().startsWith("timeout must be at most 106751 days"), e.getMessage());
    }

    // Stuck workers must not hold the next call back.
    @Test
    void shouldRunTheNextCallAtFullParallelismWhenWorkersIgnoreInterrupts() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Spawned<List<Object>> cell = Spawned.start("cell", () -> pmap(x -> {
                bothRunning.countDown();
                blockIgnoringInterrupts(release);
                return x;
            }, range(100), options().workers(2)));
            assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
            cell.interrupt();
            cell.join(HANG);
            CancellationException e = assertInstanceOf(CancellationException.class, cell.thrown());
            assertTrue(cell.interruptedAtEnd(), "the caller's interrupt flag must be set again");
            assertTrue(e.getMessage().contains("items 0, 1 were still running"), e.getMessage());
            CyclicBarrier two = new CyclicBarrier(2);
            List<Integer> next = assertTimeoutPreemptively(HANG, () -> pmap(x -> {
                two.await(10, TimeUnit.SECONDS); // only passes when two items run at once
                return x;
            }, range(2), options().workers(2)));
            assertEquals(List.of(0, 1), next);
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldServeSeveralCallingThreadsAtOnce() throws Exception {
        List<Spawned<List<Integer>>> callers = new ArrayList<>();
        ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < 8; t++) {
            int k = t;
            callers.add(Spawned.start("caller-" + t, () -> pmap(x -> {
                threads.add(Thread.currentThread().getName());
                return x * k;
            }, range(2_000))));
        }
        for (int t = 0; t < 8; t++) {
            List<Integer> got = callers.get(t).join(HANG).value();
            for (int x = 0; x < 2_000; x++) {
                assertEquals(x * t, got.get(x));
            }
        }
        assertFalse(threads.isEmpty());
    }
}
