package dev.parkit;

import static dev.parkit.Par.*;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ParErrorsTest {

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable call) {
        Throwable e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldNameTheNullArgument() {
        ParFunction<Integer, Integer> f = x -> x;
        assertMessage(NullPointerException.class, "f must not be null", () -> pmap(null, range(3)));
        assertMessage(NullPointerException.class, "xs must not be null", () -> pmap(f, (List<Integer>) null));
        assertMessage(NullPointerException.class, "xs must not be null", () -> pmap(f, (Stream<Integer>) null));
        assertMessage(NullPointerException.class, "xs must not be null", () -> pmap(f, (Stream<Integer>) null));
        assertMessage(NullPointerException.class, "options must not be null", () -> pmap(f, range(3), (Options) null));
        assertMessage(NullPointerException.class, "f must not be null", () -> pimap(null, range(3)));
        assertMessage(NullPointerException.class, "xs must not be null", () -> pimapUnordered(f, (List<Integer>) null));
        assertMessage(NullPointerException.class, "f must not be null", () -> pmapCollect(null, range(3)));
        assertMessage(NullPointerException.class, "f must not be null", () -> parallel(null));
        assertMessage(NullPointerException.class, "initializer must not be null", () -> pool(2, null));
        assertMessage(NullPointerException.class, "timeout must not be null", () -> options().timeout(null));
    }

    @Test
    void shouldNameTheBadValue() {
        assertMessage(IllegalArgumentException.class, "workers must be >= 1, got 0", () -> pmap(x -> x, range(3), options().workers(0)));
        assertMessage(IllegalArgumentException.class, "workers must be >= 1, got -2", () -> options().workers(-2));
        assertMessage(IllegalArgumentException.class, "workers must be >= 1, got 0", () -> pool(0));
        // A pool keeps a slot per worker: Integer.MAX_VALUE of them ran out of heap.
        assertMessage(IllegalArgumentException.class, "workers must be <= 100000 (a pool keeps a slot per worker), got "
                + Integer.MAX_VALUE, () -> options().workers(Integer.MAX_VALUE));
        assertMessage(IllegalArgumentException.class, "workers must be <= 100000 (a pool keeps a slot per worker), got 100001",
                () -> pool(100_001));
        assertMessage(IllegalArgumentException.class, "workers must be <= 100000 (a pool keeps a slot per worker), got 100001",
                () -> pool(100_001, () -> "state"));
        assertMessage(IllegalArgumentException.class, "chunkSize must be >= 1, got 0", () -> options().chunkSize(0));
        assertMessage(IllegalArgumentException.class, "timeout must be positive, got PT-1S",
                () -> options().timeout(Duration.ofSeconds(-1)));
        assertMessage(IllegalArgumentException.class, "range size must be >= 0, got -1", () -> range(-1));
    }

    @Test
    void shouldNameTheFailingItemAndKeepTheCause() {
        ParException e = assertThrows(ParException.class, () -> pmap(x -> 100 / (x - 37), range(1000)));
        assertEquals(37, e.index());
        assertEquals(37, e.input());
        assertEquals("item 37 (37) failed: java.lang.ArithmeticException: / by zero", e.getMessage());
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertTrue(e.getCause().getStackTrace().length > 0);
        assertTrue(findLambdaFrame(e.getCause()).startsWith("lambda$shouldNameTheFailingItemAndKeepTheCause$"),
                "the cause keeps the worker's stack trace");
    }

    private static String findLambdaFrame(Throwable t) {
        for (StackTraceElement el : t.getStackTrace()) {
            if (el.getClassName().equals(ParErrorsTest.class.getName())) {
                return el.getMethodName();
            }
        }
        return null;
    }

    @Test
    void shouldShortenLongValuesInTheMessage() {
        String big = "x".repeat(500);
        ParException e = assertThrows(ParException.class, () -> pmap(s -> {
            throw new IllegalStateException("bad");
        }, List.of(big)));
        assertEquals("item 0 (\"" + "x".repeat(56) + "...) failed: java.lang.IllegalStateException: bad", e.getMessage());
    }

    @Test
    void shouldCancelRemainingItemsAndStartNoNewOnes() throws Exception {
        AtomicInteger started = new AtomicInteger();
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            started.incrementAndGet();
            if (x == 5) {
                throw new IllegalStateException("boom");
            }
            Thread.sleep(20);
            return x;
        }, range(10_000), options().workers(2)));
        assertEquals(5, e.index());
        int atThrow = started.get();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(20)).until(() -> started.get() == atThrow);
        assertTrue(atThrow < 100, "the rest must be cancelled, but " + atThrow + " items started");
    }

    @Test
    void shouldDeliverEveryEarlierResultBeforeThrowingInPimap() {
        List<Integer> seen = new ArrayList<>();
        ParException e = assertThrows(ParException.class, () -> pimap(x -> {
            if (x == 500) {
                throw new IllegalArgumentException("no 500");
            }
            if (x < 20) {
                Thread.sleep(5); // early items finish after the failure
            }
            return x;
        }, range(1_000), options().workers(2)).forEach(seen::add));
        assertEquals(500, e.index());
        assertEquals(range(500), seen);
    }

    @Test
    void shouldCollectFailuresInsteadOfFailingFast() {
        MapResult<String, Integer> r = pmapCollect(Integer::parseInt, List.of("1", "x", "3", "", "5"));
        assertFalse(r.ok());
        assertEquals(java.util.Arrays.asList(1, null, 3, null, 5), r.values());
        assertEquals(2, r.failures().size());
        assertEquals(1, r.failures().get(0).index());
        assertEquals("x", r.failures().get(0).input());
        assertInstanceOf(NumberFormatException.class, r.failures().get(0).error());
        assertEquals(Failure.Origin.FUNCTION, r.failures().get(0).origin());
        assertEquals(3, r.failures().get(1).index());
        ParException e = assertThrows(ParException.class, r::orThrow);
        assertEquals(1, e.index());
    }

    @Test
    void shouldTimeOutASlowItem() {
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            Thread.sleep(x == 3 ? 60_000 : 1);
            return x;
        }, range(20), options().timeout(Duration.ofMillis(200))));
        assertEquals(3, e.index());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals("item 3 (3) timed out: java.util.concurrent.TimeoutException: ran longer than the timeout"
                + " of 200 ms", e.getMessage());
    }

    @Test
    void shouldTimeOutAnItemThatIgnoresInterrupts() {
        long t0 = System.nanoTime();
        ParException e = assertThrows(ParException.class, () -> pmap(x -> {
            long end = System.nanoTime() + (x == 1 ? 3_000_000_000L : 0);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return x;
        }, range(4), options().timeout(Duration.ofMillis(100))));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(System.nanoTime() - t0 < 2_900_000_000L, "the call must not wait for the stuck item");
    }

    @Test
    void shouldCollectEachFailureAmongTinyItemsWithItsInput() {
        // Tiny items run in blocks with no check between them: a throw inside a block must still
        // name its own item, and the block's other items must keep their values. Items from a
        // list are read in place; items from a stream are copied into chunks first.
        int n = 200_000;
        ParFunction<Integer, Integer> f = x -> {
            if (x % 1_009 == 3) {
                throw new ArithmeticException("bad " + x);
            }
            return x + 1;
        };
        for (int round = 0; round < 4; round++) {
            MapResult<Integer, Integer> r = round % 2 == 0
                    ? pmapCollect(f, range(n))
                    : pmapCollect(f, range(n).stream());
            List<Long> expected = new ArrayList<>();
            for (long i = 3; i < n; i += 1_009) {
                expected.add(i);
            }
            assertEquals(expected, r.failures().stream().map(Failure::index).toList(), "round " + round);
            for (var fail : r.failures()) {
                assertEquals((int) fail.index(), fail.input(), "the failure shows its own item");
                assertEquals("bad " + fail.index(), fail.error().getMessage());
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i % 1_009 == 3 ? null : i + 1, r.values().get(i), "item " + i);
            }
        }
    }

    @Test
    void shouldReportEachItemARandomAccessListCannotGiveAsASourceFailure() {
        class Corrupt extends java.util.AbstractList<Integer> implements java.util.RandomAccess {
            @Override
            public Integer get(int i) {
                if (i % 100 == 7) {
                    throw new IllegalStateException("row " + i + " is corrupt");
                }
                return i;
            }

            @Override
            public int size() {
                return 10_000;
            }
        }
        List<Integer> broken = new Corrupt(); // read in place, by index
        // Rounds 0 and 1: without a timeout (the second with chunks sized for tiny items); 2: with one.
        for (int round = 0; round < 3; round++) {
            Options o = round < 2 ? options() : options().timeout(Duration.ofSeconds(30));
            MapResult<Integer, Integer> r = pmapCollect(x -> x + 1, broken, o);
            assertEquals(100, r.failures().size(), "one failure for each unreadable item, none for the others");
            for (int k = 0; k < 100; k++) {
                var f = r.failures().get(k);
                assertEquals(100L * k + 7, f.index());
                assertNull(f.input(), "the item could not be read, so there is none to show");
                assertEquals(Failure.Origin.SOURCE, f.origin());
                assertEquals("row " + f.index() + " is corrupt", f.error().getMessage());
            }
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i % 100 == 7 ? null : i + 1, r.values().get(i), "item " + i);
            }
        }
        ParException e = assertThrows(ParException.class, () -> pmap(x -> x, broken));
        assertTrue(e.getMessage().contains("could not be read from the source"), e.getMessage());
        assertEquals(0, e.index() % 100 - 7, "the failure names an unreadable item: " + e.index());
    }

    @Test
    void shouldReportASourceThatThrows() {
        Iterable<Integer> broken = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 7) {
                    throw new IllegalStateException("disk on fire");
                }
                return i++;
            }
        };
        ParException e = assertThrows(ParException.class, () -> pmap(x -> x, broken));
        assertEquals(7, e.index());
        assertEquals("item 7 (null) could not be read from the source: java.lang.IllegalStateException: disk on fire",
                e.getMessage());
        List<Integer> seen = new ArrayList<>();
        assertThrows(ParException.class, () -> pimap(x -> x, broken).forEach(seen::add));
        assertEquals(range(7), seen);
    }

    /**
     * Tiny items run in blocks, checked for cancellation between blocks, so a few may start after
     * a failure (their values are dropped); but once the failed call has returned, none does: the
     * call waited for every block in hand, and the gate lets no new one start.
     */
    @Test
    void shouldStartNoTinyItemOnceAFailedCallHasReturned() {
        AtomicInteger started = new AtomicInteger();
        RuntimeException boom = new IllegalStateException("boom");
        int n = 2_000_000;
        boolean[] fail = {false};
        ParFunction<Integer, Integer> f = x -> {
            started.incrementAndGet();
            if (fail[0] && x == n / 2) {
                throw boom;
            }
            return x;
        };
        pmap(f, range(n), options().workers(2)); // learned as tiny: blocks of 64
        fail[0] = true;
        for (int round = 0; round < 5; round++) {
            started.set(0);
            ParException e = assertThrows(ParException.class, () -> pmap(f, range(n), options().workers(2)));
            assertEquals(n / 2, e.index());
            int atReturn = started.get();
            assertTrue(atReturn < n, "the failure cancelled nothing: " + atReturn + " of " + n + " items started");
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                    .until(() -> started.get() == atReturn);
        }
    }
}
