package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static dev.parkit.testing.Spawned.unchanging;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.testing.Sources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What a call does with bad arguments and failing items. */
interface FailuresContract extends MapperUnderTest {

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable call) {
        Throwable e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    default void shouldNameTheNullArgument() {
        Mapper m = mapper();
        ParFunction<Integer, Integer> f = x -> x;
        List<Integer> xs = range(3);
        Iterable<Integer> noList = null;
        Stream<Integer> noStream = null;
        Options none = null;
        for (String op : List.of("pmap", "pimap", "pimapUnordered", "pmapCollect")) {
            Call c = Call.of(m, op);
            assertMessage(NullPointerException.class, "f must not be null", () -> c.run(null, xs, options()));
            assertMessage(NullPointerException.class, "f must not be null", () -> c.run(null, xs.stream(), options()));
            assertMessage(NullPointerException.class, "xs must not be null", () -> c.run(f, noList, options()));
            assertMessage(NullPointerException.class, "xs must not be null", () -> c.run(f, noStream, options()));
            assertMessage(NullPointerException.class, "options must not be null", () -> c.run(f, xs, none));
            assertMessage(NullPointerException.class, "options must not be null", () -> c.run(f, xs.stream(), none));
        }
    }

    /** One of the four calls, by name, over an iterable or a stream, run to its end. */
    interface Call {
        void run(ParFunction<Integer, Integer> f, Iterable<Integer> xs, Options o);

        void run(ParFunction<Integer, Integer> f, Stream<Integer> xs, Options o);

        static Call of(Mapper m, String op) {
            return new Call() {
                @Override
                public void run(ParFunction<Integer, Integer> f, Iterable<Integer> xs, Options o) {
                    switch (op) {
                        case "pmap" -> m.pmap(f, xs, o);
                        case "pimap" -> m.pimap(f, xs, o).toList();
                        case "pimapUnordered" -> m.pimapUnordered(f, xs, o).toList();
                        default -> m.pmapCollect(f, xs, o);
                    }
                }

                @Override
                public void run(ParFunction<Integer, Integer> f, Stream<Integer> xs, Options o) {
                    switch (op) {
                        case "pmap" -> m.pmap(f, xs, o);
                        case "pimap" -> m.pimap(f, xs, o).toList();
                        case "pimapUnordered" -> m.pimapUnordered(f, xs, o).toList();
                        default -> m.pmapCollect(f, xs, o);
                    }
                }
            };
        }
    }

    @Test
    default void shouldNameABadOptionValue() {
        assertMessage(IllegalArgumentException.class, "workers must be >= 1, got 0",
                () -> mapper().pmap(x -> x, range(3), options().workers(0)));
        assertMessage(IllegalArgumentException.class, "chunkSize must be >= 1, got -1",
                () -> mapper().pimap(x -> x, range(3), options().chunkSize(-1)));
    }

    @Test
    default void shouldNameTheFailingItemAndKeepItsCause() {
        for (int n : new int[] {40, 1_000}) {
            ParException e = assertThrows(ParException.class, () -> mapper().pmap(x -> {
                if (x == 37) {
                    throw new ArithmeticException("no 37");
                }
                return x;
            }, range(n)));
            assertEquals(37, e.index());
            assertEquals(37, e.input());
            assertEquals("item 37 (37) failed: java.lang.ArithmeticException: no 37", e.getMessage());
            ArithmeticException cause = assertInstanceOf(ArithmeticException.class, e.getCause());
            assertTrue(Arrays.stream(cause.getStackTrace()).anyMatch(
                    el -> el.getClassName().equals(FailuresContract.class.getName())),
                    "the cause keeps the stack trace of the function that threw");
        }
    }

    @Test
    default void shouldCancelTheRestWhenAnItemFailsInPmap() {
        Items.Probe probe = new Items.Probe();
        ParException e = assertThrows(ParException.class, () -> mapper().pmap(x -> {
            if (warmUp(x)) {
                return x;
            }
            probe.start(x);
            probe.end();
            if (x == 5) {
                throw new IllegalStateException("boom");
            }
            Thread.sleep(1);
            return x;
        }, range(10_000), options().workers(WORKERS)));
        assertEquals(5, e.index());
        int atThrow = probe.count();
        await().during(QUIET).atMost(QUIET_WITHIN).until(unchanging(probe::count));
        assertTrue(probe.count() < 200, "the rest must be cancelled, but " + probe.count() + " items started");
        assertTrue(probe.count() - atThrow <= 64, (probe.count() - atThrow) + " items started after the throw");
    }

    @Test
    default void shouldCancelTheRestWhenAnItemFailsInPmapOfAFunctionItHasRunBefore() {
        // A function a mapper has run before may be sized by what it cost then (a cluster slices
        // it at once): a failure among its first items must still stop the rest as promptly.
        Items.Probe[] probe = {new Items.Probe()};
        AtomicBoolean fail = new AtomicBoolean();
        ParFunction<Integer, Integer> f = x -> {
            if (warmUp(x)) {
                return x;
            }
            probe[0].start(x);
            probe[0].end();
            if (x == 5 && fail.get()) {
                throw new IllegalStateException("boom");
            }
            long end = System.nanoTime() + 100_000; // cheap items: a late cancel lets hundreds start
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return x;
        };
        int n = 2_000;
        assertEquals(n, mapper().pmap(f, range(n), options().workers(WORKERS)).size());
        probe[0] = new Items.Probe();
        fail.set(true);
        ParException e = assertThrows(ParException.class, () -> mapper().pmap(f, range(n), options().workers(WORKERS)));
        assertEquals(5, e.index());
        int atThrow = probe[0].count();
        await().during(QUIET).atMost(QUIET_WITHIN).until(unchanging(probe[0]::count));
        assertTrue(probe[0].count() < 200, "the rest must be cancelled, but " + probe[0].count() + " items started");
        assertTrue(probe[0].count() - atThrow <= 64, (probe[0].count() - atThrow) + " items started after the throw");
    }

    @Test
    default void shouldStartNoItemOnceAFailedCallHasReturned() {
        // Issue 18, item 10: tiny items run in blocks, so a few may start after the failing one
        // threw (their values are dropped); but once the failed call has returned, none does.
        int n = 100_000;
        AtomicInteger started = new AtomicInteger();
        AtomicBoolean fail = new AtomicBoolean();
        RuntimeException boom = new IllegalStateException("boom");
        ParFunction<Integer, Integer> f = Fresh.fresh(x -> { // one object: learned tiny by its first call
            if (warmUp(x)) {
                return x;
            }
            started.incrementAndGet();
            if (x == n / 2 && fail.get()) {
                throw boom;
            }
            return x;
        });
        assertEquals(n, mapper().pmap(f, range(n), options().workers(WORKERS)).size());
        fail.set(true);
        for (int round = 0; round < 2; round++) {
            started.set(0);
            ParException e = assertThrows(ParException.class, () -> mapper().pmap(f, range(n), options().workers(WORKERS)));
            int atReturn = started.get();
            assertEquals(n / 2, e.index());
            assertSame(boom, e.getCause());
            assertTrue(atReturn < n, "the failure cancelled nothing: " + atReturn + " of " + n + " items started");
            await().during(GLANCE).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(atReturn,
                    started.get(), "items started after the failed call returned"));
        }
    }

    @Test
    default void shouldDeliverEveryResultBeforeTheFailureInPimap() {
        for (int n : new int[] {40, 1_000}) {
            int failing = n / 2;
            List<Integer> seen = new ArrayList<>();
            ParException e = assertThrows(ParException.class, () -> mapper().pimap(x -> {
                if (x == failing) {
                    throw new IllegalArgumentException("no " + failing);
                }
                if (x >= 0 && x < 10) {
                    Thread.sleep(5); // the first items finish after the failure
                }
                return x;
            }, range(n), options().workers(WORKERS)).forEach(seen::add));
            assertEquals(failing, e.index());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals(range(failing), seen, "every result before the failing item, in order, then the failure");
        }
    }

    @Test
    default void shouldThrowTheFailureInPimapUnordered() {
        ParException e = assertThrows(ParException.class, () -> mapper().pimapUnordered(x -> {
            if (x == 7) {
                throw new IllegalArgumentException("no 7");
            }
            return x;
        }, range(40), options().workers(WORKERS)).toList());
        assertEquals(7, e.index());
        assertEquals("item 7 (7) failed: java.lang.IllegalArgumentException: no 7", e.getMessage());
    }

    @Test
    default void shouldGiveEveryItemAsAValueOrAFailureInPmapCollect() {
        for (int n : new int[] {40, 1_000}) {
            MapResult<Integer, Integer> r = mapper().pmapCollect(x -> {
                if (x % 10 == 3) {
                    throw new NumberFormatException("bad " + x);
                }
                return x + 1;
            }, range(n), options().workers(WORKERS));
            assertEquals(n, r.values().size());
            List<Long> failed = r.failures().stream().map(Failure::index).toList();
            assertEquals(range(n).stream().filter(x -> x % 10 == 3).map(Long::valueOf).toList(), failed);
            for (Failure<Integer> f : r.failures()) {
                assertEquals((int) f.index(), f.input());
                assertEquals("bad " + f.index(), assertInstanceOf(NumberFormatException.class, f.error()).getMessage());
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i % 10 == 3 ? null : i + 1, r.values().get(i), "item " + i);
            }
            assertEquals(3, assertThrows(ParException.class, r::orThrow).index());
        }
    }

    @Test
    default void shouldFailAtThePositionOfAnItemTheSourceCouldNotRead() {
        ParException e = assertThrows(ParException.class, () -> mapper().pmap(x -> x, Sources.failingAt(20, 7, new IllegalStateException("disk on fire"))));
        assertEquals(7, e.index());
        assertEquals("item 7 (null) could not be read from the source: java.lang.IllegalStateException: disk on fire",
                e.getMessage());
        List<Integer> seen = new ArrayList<>();
        assertThrows(ParException.class, () -> mapper().pimap(x -> x, Sources.failingAt(20, 7, new IllegalStateException("disk on fire"))).forEach(seen::add));
        assertEquals(range(7), seen, "pimap gives every item read before the source failed");
        MapResult<Integer, Integer> r = mapper().pmapCollect(x -> x, Sources.failingAt(20, 7, new IllegalStateException("disk on fire")));
        assertEquals(7, r.failures().get(0).index());
    }

    @Test
    default void shouldTimeOutAnItemThatRunsTooLong() {
        ParException e = assertThrows(ParException.class, () -> mapper().pmap(x -> {
            Thread.sleep(x == 3 ? HANG.toMillis() : 0);
            return x;
        }, range(8), options().workers(WORKERS).timeout(Duration.ofMillis(200))));
        assertEquals(3, e.index());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("item 3 (3) timed out"), e.getMessage());
    }
}
