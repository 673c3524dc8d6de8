package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static dev.parkit.testing.Spawned.blockIgnoringInterrupts;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.testing.Sources;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Getting past what went wrong: a per-item timeout bounds every kind of call, even while a
 * timed-out item ignores its interrupt, and waiting for the source is not an item's time; and
 * {@link MapResult#retry} runs the failed items again where the call ran, keeps the items the
 * source could not read as failures, and names every item by its original index (issue 18, items
 * 5 to 8). Every retry here is {@code mapper().pmapCollect(...).retry(...)}, so it runs wherever
 * the result says the call ran ({@link MapResult#mapper()}).
 *
 * <p>An item that ignores its interrupt blocks on a latch that the test opens only once it has
 * checked, in a {@code finally}: a call that waits for that item cannot return, and the test's
 * bound ({@link #RETURNS}) fails it instead of hanging.
 */
interface RecoveryContract extends MapperUnderTest {

    /** The per-item timeout of these contracts. */
    Duration TIMEOUT = Duration.ofMillis(100);

    /**
     * How long a call with a timed-out item that ignores its interrupt may take: a working engine
     * records the timeout at once, abandons the item a moment later (0.1 s today) and goes on, so
     * each such item costs it about a fifth of a second; one that waits for the item waits here.
     */
    Duration RETURNS = Duration.ofSeconds(5);

    /**
     * {@code r} has the timeouts of the items {@code stuck} as its only failures, each naming its
     * own item, and {@code 10 * x} for every other item {@code x} of {@code range(n)}.
     */
    private static void assertTimedOutAndValues(MapResult<Integer, Integer> r, int n, List<Integer> stuck) {
        assertEquals(stuck, r.failures().stream().map(f -> (int) f.index()).toList(), r.toString());
        for (Failure<Integer> f : r.failures()) {
            assertInstanceOf(TimeoutException.class, f.error(), r.toString());
            assertEquals(Failure.Origin.TIMEOUT, f.origin(), r.toString());
            assertEquals((int) f.index(), f.input(), "the failure shows its own item: " + f);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(stuck.contains(i) ? null : 10 * i);
        }
        assertEquals(expected, r.values());
    }

    /**
     * Two items that each wait for the other both run: two of the mapper's workers are free,
     * while the items it abandoned may still run.
     */
    private void assertTwoItemsRunAtOnce() {
        CyclicBarrier both = new CyclicBarrier(2);
        List<Integer> ys = assertTimeoutPreemptively(HANG, () -> mapper().pmap(x -> {
            if (!warmUp(x)) {
                both.await(MEET.toMillis(), TimeUnit.MILLISECONDS); // a TimeoutException: only one worker was free
            }
            return x;
        }, range(2), options().workers(2).chunkSize(1)), "the next call did not run two items at once");
        assertEquals(range(2), ys);
    }

    @Test
    default void shouldReturnFromPmapCollectWhileTimedOutItemsIgnoreTheirInterrupts() throws Exception {
        // Issue 18, item 5: pmapCollect waited 8 s for the item that ignored its timeout. Here one
        // chunk of 8 holds every item, and two of them ignore their timeouts: items 1 and 2 from
        // a list (read in place), items 0 and 2 from a stream (copied into chunks that keep their
        // own results). The rest of the chunk must go on past each of them.
        CountDownLatch release = new CountDownLatch(1);
        AtomicIntegerArray listRuns = new AtomicIntegerArray(8);
        AtomicIntegerArray streamRuns = new AtomicIntegerArray(8);
        CountDownLatch deafEnded = new CountDownLatch(4);
        Options o = options().workers(WORKERS).timeout(TIMEOUT).chunkSize(8);
        try {
            MapResult<Integer, Integer> fromList = assertTimeoutPreemptively(RETURNS,
                    () -> mapper().pmapCollect(deafAt(List.of(1, 2), listRuns, release, deafEnded), range(8), o),
                    "pmapCollect over a list waited for the items that ignore their timeouts");
            assertEquals(4, deafEnded.getCount(), "the call returned while the deaf items still run");
            assertTimedOutAndValues(fromList, 8, List.of(1, 2));

            MapResult<Integer, Integer> fromStream = assertTimeoutPreemptively(RETURNS,
                    () -> mapper().pmapCollect(deafAt(List.of(0, 2), streamRuns, release, deafEnded), range(8).stream(), o),
                    "pmapCollect over a stream waited for the items that ignore their timeouts");
            assertEquals(4, deafEnded.getCount(), "the call returned while the deaf items still run");
            assertTimedOutAndValues(fromStream, 8, List.of(0, 2));

            assertTwoItemsRunAtOnce();
            release.countDown();
            assertTrue(deafEnded.await(HANG.toMillis(), TimeUnit.MILLISECONDS), "the released items never ended");
            List<Integer> listValues = new ArrayList<>(fromList.values());
            List<Integer> streamValues = new ArrayList<>(fromStream.values());
            await().during(GLANCE).atMost(QUIET_WITHIN).untilAsserted(() -> {
                assertEquals(listValues, fromList.values(), "a late result changed the returned values");
                assertEquals(streamValues, fromStream.values(), "a late result changed the returned values");
                for (int i = 0; i < 8; i++) {
                    assertEquals(1, listRuns.get(i), "item " + i + " of the list ran " + listRuns.get(i) + " times");
                    assertEquals(1, streamRuns.get(i), "item " + i + " of the stream ran " + streamRuns.get(i) + " times");
                }
            });
        } finally {
            release.countDown();
        }
    }

    /** {@code 10 * x}, counting each item's runs; the items {@code deaf} block until {@code release}, deaf to interrupts. */
    private static ParFunction<Integer, Integer> deafAt(List<Integer> deaf, AtomicIntegerArray runs,
            CountDownLatch release, CountDownLatch ended) {
        return x -> {
            if (warmUp(x)) {
                return x;
            }
            runs.incrementAndGet(x);
            if (deaf.contains(x)) {
                try {
                    blockIgnoringInterrupts(release);
                } finally {
                    ended.countDown();
                }
            }
            return 10 * x;
        };
    }

    @Test
    default void shouldReturnFromRetryWhileATimedOutItemIgnoresItsInterrupt() {
        // Issue 18, item 5: the README's own r.retry(f, options().timeout(...)) took 8 s.
        MapResult<Integer, Integer> first = mapper().pmapCollect(x -> {
            if (!warmUp(x) && x % 3 == 2) {
                throw new IllegalStateException("flaky " + x);
            }
            return 10 * x;
        }, range(9), options().workers(WORKERS));
        assertEquals(List.of(2L, 5L, 8L), first.failures().stream().map(Failure::index).toList());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        try {
            MapResult<Integer, Integer> again = assertTimeoutPreemptively(RETURNS,
                    () -> first.retry(deafAt(List.of(5), new AtomicIntegerArray(9), release, ended),
                            options().workers(WORKERS).timeout(TIMEOUT)),
                    "retry waited for the item that ignores its timeout");
            assertEquals(1, ended.getCount(), "the retry returned while the deaf item still runs");
            assertTimedOutAndValues(again, 9, List.of(5));
            assertTwoItemsRunAtOnce();
        } finally {
            release.countDown();
        }
    }

    @Test
    default void shouldNotCountWaitingForASlowSourceAsAnItemsTime() {
        // Issue 18, item 6: "item 0 (null) timed out" while the call waited for the source. Item 0
        // takes three timeouts to arrive, item 1 none, and neither takes any time to map.
        Duration timeout = Duration.ofMillis(50);
        long arrives = 3 * timeout.toMillis();
        ParFunction<Integer, Integer> f = x -> 10 * x;
        for (String op : List.of("pmap", "pimap", "pimapUnordered", "pmapCollect")) {
            AtomicInteger next = new AtomicInteger();
            Stream<Integer> slow = Stream.generate(() -> {
                if (next.get() == 0) {
                    Sources.sleepIgnoringInterrupts(arrives);
                }
                return next.getAndIncrement();
            }).limit(2);
            Options o = options().workers(WORKERS).timeout(timeout);
            List<Integer> got = assertTimeoutPreemptively(HANG, () -> switch (op) {
                case "pmap" -> mapper().pmap(f, slow, o);
                case "pimap" -> mapper().pimap(f, slow, o).toList();
                case "pimapUnordered" -> mapper().pimapUnordered(f, slow, o).sorted().toList();
                default -> {
                    MapResult<Integer, Integer> r = mapper().pmapCollect(f, slow, o);
                    assertEquals(List.of(), r.failures(), op);
                    yield r.values();
                }
            }, op);
            assertEquals(Arrays.asList(0, 10), got, op);
        }
    }

    @Test
    default void shouldKeepAnItemTheSourceCouldNotReadAFailureWithItsErrorAndIndexOnRetry() {
        // Issue 18, item 7: retry ran f(null) for the item the source could not read, and the read error was gone.
        IllegalStateException corrupt = new IllegalStateException("row 3 is corrupt");
        class Row3Unreadable extends AbstractList<Integer> implements RandomAccess {
            @Override
            public Integer get(int i) {
                if (i == 3) {
                    throw corrupt;
                }
                return i;
            }

            @Override
            public int size() {
                return 6;
            }
        }
        Set<Integer> flaky = ConcurrentHashMap.newKeySet();
        List<Integer> retriedWith = Collections.synchronizedList(new ArrayList<>());
        ParFunction<Integer, String> f = x -> {
            if (warmUp(x)) {
                return "warm-up";
            }
            if (flaky.remove(x)) {
                throw new IllegalArgumentException("flaky " + x);
            }
            return "v" + x;
        };
        ParFunction<Integer, String> recorded = x -> {
            if (!warmUp(x)) {
                retriedWith.add(x);
            }
            return f.apply(x);
        };

        // A random-access list is read in place: the unreadable item fails at its own position.
        flaky.add(5);
        MapResult<Integer, String> first = mapper().pmapCollect(f, new Row3Unreadable(), options().workers(WORKERS));
        assertEquals(List.of(3L, 5L), first.failures().stream().map(Failure::index).toList(), first.toString());
        MapResult<Integer, String> again = first.retry(recorded);
        assertEquals(List.of(5), retriedWith, "only the item whose input is known runs again");
        assertEquals(Arrays.asList("v0", "v1", "v2", null, "v4", "v5"), again.values());
        assertEquals(1, again.failures().size(), "the unreadable item stays a failure: " + again.failures());
        Failure<Integer> unread = again.failures().get(0);
        assertEquals(3, unread.index());
        assertNull(unread.input());
        assertSame(corrupt, unread.error(), "the source's own error, not one of the retry");
        assertEquals(Failure.Origin.SOURCE, unread.origin());
        assertEquals("item 3 (null) could not be read from the source: java.lang.IllegalStateException: row 3 is corrupt",
                assertThrows(ParException.class, again::orThrow).getMessage());
        retriedWith.clear();
        assertEquals(again, again.retry(recorded), "retrying again changes nothing");
        assertEquals(List.of(), retriedWith, "nothing ran again");

        // A stream is read through its iterator, which ends at the throw: the same failure, at the end.
        flaky.add(1);
        MapResult<Integer, String> lazy = mapper().pmapCollect(f, Stream.iterate(0, i -> i + 1).limit(6).map(i -> {
            if (i == 3) {
                throw corrupt;
            }
            return i;
        }), options().workers(WORKERS));
        // The values end with the unreadable item's null, as every failed item's place is null:
        // values().get(failure.index()) threw IndexOutOfBoundsException before.
        assertEquals(Arrays.asList("v0", null, "v2", null), lazy.values(), lazy.toString());
        assertEquals(List.of(1L, 3L), lazy.failures().stream().map(Failure::index).toList(), lazy.toString());
        for (Failure<Integer> failed : lazy.failures()) {
            assertNull(lazy.values().get((int) failed.index()), "the value at failure " + failed.index());
        }
        MapResult<Integer, String> lazyAgain = lazy.retry(recorded);
        assertEquals(List.of(1), retriedWith, "only the item whose input is known runs again");
        assertEquals(Arrays.asList("v0", "v1", "v2", null), lazyAgain.values());
        assertEquals(1, lazyAgain.failures().size(), lazyAgain.toString());
        assertEquals(3, lazyAgain.failures().get(0).index());
        assertSame(corrupt, lazyAgain.failures().get(0).error());
        assertEquals(Failure.Origin.SOURCE, lazyAgain.failures().get(0).origin());
    }

    @Test
    default void shouldNameTheOriginalIndexWhenARetriedItemTimesOut() {
        // Issue 18, item 8: "item 7 (7): TimeoutException: item 0 ran longer than the timeout".
        MapResult<Integer, Integer> first = mapper().pmapCollect(x -> {
            if (x == 7) {
                throw new IllegalStateException("busy");
            }
            return x;
        }, range(10), options().workers(WORKERS));
        assertEquals(List.of(7L), first.failures().stream().map(Failure::index).toList(), first.toString());
        MapResult<Integer, Integer> again = first.retry(x -> {
            if (!warmUp(x)) {
                Thread.sleep(HANG.toMillis()); // honours the timeout's interrupt
            }
            return x;
        }, options().workers(WORKERS).timeout(TIMEOUT));
        assertEquals(1, again.failures().size(), again.toString());
        Failure<Integer> f = again.failures().get(0);
        assertEquals(7, f.index());
        assertEquals(7, f.input());
        assertInstanceOf(TimeoutException.class, f.error());
        assertEquals(Failure.Origin.TIMEOUT, f.origin());
        String timedOut = "java.util.concurrent.TimeoutException: ran longer than the timeout of "
                + TIMEOUT.toMillis() + " ms";
        assertEquals("item 7 (7): " + timedOut, f.toString());
        assertEquals("item 7 (7) timed out: " + timedOut, assertThrows(ParException.class, again::orThrow).getMessage());
        assertFalse(again.toHtml().contains("item 0"), "the retry's own position must not show: " + again.toHtml());
        assertEquals(range(7), again.values().subList(0, 7));
        assertNull(again.values().get(7));
    }

    @Test
    default void shouldRetryWhereTheCallRan() {
        // Where a thread belongs: parkit-cpu-3 for parkit-cpu-3-1 (a pool's threads are named after it).
        Set<String> call = ConcurrentHashMap.newKeySet();
        Set<String> retry = ConcurrentHashMap.newKeySet();
        MapResult<Integer, Integer> r = mapper().pmapCollect(x -> {
            if (warmUp(x)) {
                return x;
            }
            call.add(poolOf(Thread.currentThread()));
            if (x % 3 == 0) {
                throw new IllegalStateException("flaky " + x);
            }
            return x;
        }, range(12), options().workers(WORKERS));
        assertEquals(4, r.failures().size(), r.toString());
        MapResult<Integer, Integer> fixed = r.retry(x -> {
            if (!warmUp(x)) {
                retry.add(poolOf(Thread.currentThread()));
            }
            return x;
        });
        assertEquals(range(12), fixed.values());
        assertEquals(List.of(), fixed.failures());
        assertFalse(retry.isEmpty(), "no retried item ran");
        assertTrue(call.containsAll(retry), "the call ran on " + call + ", its retry on " + retry);
        if (owner() != null) {
            // Where the call ran is closed: the retry fails rather than run elsewhere.
            MapResult<Integer, Integer> again = mapper().pmapCollect(x -> {
                if (x == 1) {
                    throw new IllegalStateException("flaky");
                }
                return x;
            }, range(2), options().workers(WORKERS));
            assertDoesNotThrow(() -> owner().close());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> again.retry(x -> x));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    /** The name of {@code t}'s pool: its name without the last {@code -n}. */
    private static String poolOf(Thread t) {
        String name = t.getName();
        int dash = name.lastIndexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }
}
