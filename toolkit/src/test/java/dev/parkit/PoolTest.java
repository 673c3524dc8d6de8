package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.display.Displays;
import dev.parkit.testing.RecordingDisplay;
import dev.parkit.testing.Spawned;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A stateful pool offers every call of Par, with options, progress and timeouts. */
class PoolTest {

    @Test
    void shouldGiveLazyOrderedResultsWithTheWorkersState() {
        AtomicInteger made = new AtomicInteger();
        try (var p = pool(2, () -> "s" + made.incrementAndGet())) {
            List<String> got = p.pimap((s, x) -> s.charAt(0) + "" + x, range(100)).toList();
            assertEquals(range(100).stream().map(x -> "s" + x).toList(), got);
            assertTrue(made.get() <= 2);
        }
    }

    @Test
    void shouldGiveEveryResultOfAStreamInCompletionOrder() {
        try (var p = pool(2, StringBuilder::new)) {
            Set<Integer> got = p.pimapUnordered((sb, x) -> x * 2, Stream.of(1, 2, 3, 4)).collect(Collectors.toSet());
            assertEquals(Set.of(2, 4, 6, 8), got);
        }
    }

    @Test
    void shouldTimeOutAndShowProgressOnAStatefulPool() {
        RecordingDisplay display = RecordingDisplay.terminal();
        MapResult<Integer, Integer> r;
        try (var scope = Displays.use(display); var p = pool(2, () -> "state")) {
            r = p.pmapCollect((s, x) -> {
                if (x == 3) {
                    Thread.sleep(10_000);
                }
                return x;
            }, range(6), options().timeout(Duration.ofMillis(100)).progress("pooled"));
        }
        assertEquals(1, r.failures().size());
        assertInstanceOf(TimeoutException.class, r.failures().get(0).error());
        assertTrue(display.printed().contains("pooled"), display.printed());
        assertTrue(display.printed().contains("1 item failed"), display.printed());
    }

    @Test
    void shouldRunAStatelessFunctionOnAPool() {
        try (var p = pool(3)) {
            assertEquals(List.of(0, 1, 4), p.pmap(x -> x * x, range(3)));
            assertEquals(List.of(0, 1, 4), p.pimap(x -> x * x, Stream.of(0, 1, 2), options().workers(2)).toList());
        }
    }

    @Test
    void shouldRefuseMoreWorkersThanThePoolHasAndIoMode() {
        try (var p = pool(2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> p.pmap(x -> x, range(3), options().workers(3)));
            assertEquals("workers must be <= the pool's 2, got 3", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.pmap(x -> x, range(3), options().io()));
        }
    }

    @Test
    void shouldRunAnIoPool() {
        try (var io = ioPool(8)) {
            assertEquals(range(50), io.pmap(x -> {
                Thread.sleep(5);
                return x;
            }, range(50)));
        }
    }

    @Test
    void shouldRetryOnlyTheFailedItemsAndMergeInPlace() {
        java.util.Set<Integer> flaky = java.util.concurrent.ConcurrentHashMap.newKeySet();
        flaky.addAll(List.of(3, 7));
        ParFunction<Integer, Integer> f = x -> {
            if (flaky.remove(x)) {
                throw new IllegalStateException("flaky " + x);
            }
            if (x == 9) {
                throw new IllegalArgumentException("always");
            }
            return x * 10;
        };
        MapResult<Integer, Integer> first = pmapCollect(f, range(10));
        assertEquals(List.of(3L, 7L, 9L), first.failures().stream().map(Failure::index).toList());
        assertTrue(first.toHtml().contains("<th>where</th>"), first.toHtml());
        assertTrue(first.toHtml().contains("PoolTest"), "the first frame of user code: " + first.toHtml());
        MapResult<Integer, Integer> again = first.retry(f, options().workers(2));
        assertEquals(java.util.Arrays.asList(0, 10, 20, 30, 40, 50, 60, 70, 80, null), again.values());
        assertEquals(1, again.failures().size());
        assertEquals(9, again.failures().get(0).index());
        assertEquals(9, again.failures().get(0).input());
        assertEquals(3, first.failures().size(), "the first result is unchanged");
    }

    /**
     * {@code workers} bounds the items of the pool's live calls; a stopped call's items that
     * ignore their interrupt are retired with their workers and no longer count, so the next call
     * runs at full parallelism (the promise that wins; see {@link Par#ioPool(int)}).
     */
    @Test
    void shouldBoundTheNextCallsItemsByWorkersWhileRetiredItemsStillRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var p = ioPool(2)) {
            CountDownLatch bothStuck = new CountDownLatch(2);
            Spawned<List<Integer>> stuck = Spawned.start("stuck-call", () -> p.pmap(x -> {
                bothStuck.countDown();
                Spawned.blockIgnoringInterrupts(release);
                return x;
            }, range(2)));
            assertTrue(bothStuck.await(10, TimeUnit.SECONDS), "the two items did not start");
            stuck.interrupt();
            stuck.join(Duration.ofSeconds(10));
            assertInstanceOf(java.util.concurrent.CancellationException.class, stuck.thrown());

            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CyclicBarrier pairs = new CyclicBarrier(2);
            List<Integer> next = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> p.pmap(x -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    pairs.await(10, TimeUnit.SECONDS); // two at once: full parallelism
                    return x;
                } finally {
                    running.decrementAndGet();
                }
            }, range(20)), "the next call did not finish: retired workers were not replaced");
            assertEquals(range(20), next);
            assertEquals(2, most.get(), "items of the next call in flight at once on ioPool(2)");
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldRetryOnThePoolTheCallRanOn() {
        Set<String> first = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> again = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var p = pool(2, () -> "state")) {
            MapResult<Integer, Integer> r = p.pmapCollect((s, x) -> {
                first.add(poolOf(Thread.currentThread()));
                if (x % 3 == 0) {
                    throw new IllegalStateException("flaky " + x);
                }
                return x;
            }, range(12));
            assertEquals(4, r.failures().size());
            assertSame(p, r.mapper());
            MapResult<Integer, Integer> fixed = r.retry(x -> {
                again.add(poolOf(Thread.currentThread()));
                return x;
            });
            assertEquals(range(12), fixed.values());
            assertEquals(List.of(), fixed.failures());
            assertEquals(first, again, "the retry ran on other threads than the pool's");
            assertSame(p, fixed.mapper());
        }
    }

    /** {@code parkit-cpu-3} for the thread {@code parkit-cpu-3-1}. */
    private static String poolOf(Thread t) {
        return t.getName().substring(0, t.getName().lastIndexOf('-'));
    }
}
