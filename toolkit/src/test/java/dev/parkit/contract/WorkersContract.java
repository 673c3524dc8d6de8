package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.ParFunction;
import dev.parkit.testing.Spawned;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Where items run and how many at once: on workers, never on the calling thread, however small
 * the call and however tiny ParKit knows its items to be (nothing could abandon an item that
 * ignores interrupts there); no more at once than {@code workers}, and that many, whatever ParKit
 * learned of the function or of another one of its class (issue 18, items 1 to 3).
 *
 * <p>Items that can only finish in pairs wait at a {@link CyclicBarrier} of two, for at most
 * {@link #MEET}: on a mapper that runs them one at a time they fail instead of hanging.
 */
interface WorkersContract extends MapperUnderTest {

    /** How many calls teach ParKit a function's items are tiny, as a cell run again and again does. */
    int TEACH = 20;

    @Test
    default void shouldRunNoMoreItemsAtOnceThanWorkers() throws Exception {
        // workers(1) on implementations of two threads or more: while item 0 blocks at the gate,
        // a second item must not start.
        Items.Probe probe = new Items.Probe();
        CountDownLatch gate = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (warmUp(x)) {
                return x;
            }
            probe.start(x);
            try {
                assertTrue(gate.await(HANG.toMillis(), TimeUnit.MILLISECONDS), "the gate never opened");
                return x;
            } finally {
                probe.end();
            }
        };
        Spawned<List<Integer>> caller = Spawned.start("caller",
                () -> mapper().pmap(f, range(6), options().workers(1).chunkSize(1)));
        try {
            await().atMost(HANG).until(() -> probe.count() >= 1);
            await().during(QUIET).atMost(QUIET_WITHIN).untilAsserted(() -> assertEquals(1, probe.count(),
                    "a second item started while the first blocked, with workers(1)"));
        } finally {
            gate.countDown();
        }
        assertEquals(range(6), caller.join(HANG).value());
        assertEquals(1, probe.most(), "workers(1) ran " + probe.most() + " items at once");
    }

    @Test
    default void shouldRunAsManyItemsAtOnceAsWorkers() {
        // A barrier of two passes only when two items run at once.
        CyclicBarrier two = new CyclicBarrier(2);
        assertEquals(range(4), mapper().pmap(x -> {
            if (!warmUp(x)) {
                two.await(MEET.toMillis(), TimeUnit.MILLISECONDS);
            }
            return x;
        }, range(4), options().workers(2).chunkSize(1)));
    }

    @Test
    default void shouldNeverRunItemsOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        // One function object for every call: ParKit learns it as tiny after the first few.
        ParFunction<Integer, Integer> square = Fresh.fresh(x -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("item " + x + " ran on the calling thread");
            }
            return x * x;
        });
        List<Integer> squares = List.of(0, 1, 4, 9, 16);
        for (int i = 0; i < TEACH / 2; i++) {
            assertEquals(squares, mapper().pmap(square, range(5), options().workers(WORKERS)), "pmap, call " + i);
            assertEquals(squares, mapper().pimap(square, range(5)).toList(), "pimap, call " + i);
            assertEquals(squares, mapper().pimapUnordered(square, range(5)).sorted().toList(), "pimapUnordered, call " + i);
            assertEquals(squares, mapper().pmapCollect(square, range(5)).orThrow(), "pmapCollect, call " + i);
        }
    }

    /** Items that wait for a partner item running at the same time; warm-up items return at once. */
    private static ParFunction<Integer, Integer> inPairs(CyclicBarrier partners) {
        return x -> {
            if (!warmUp(x)) {
                partners.await(MEET.toMillis(), TimeUnit.MILLISECONDS); // a TimeoutException: no partner ran
            }
            return x;
        };
    }

    @Test
    default void shouldNotLetAFunctionInheritTheTinyCostOfAnotherOfItsClass() {
        // Issue 18, item 3: the lambdas of one factory shared a learned cost; sleeper(1000) ran
        // its first items alone, on the cost sleeper(0) had taught.
        // Taught twice over: a new function of the class for each call, as a cell calling the
        // factory does, then one of them again and again.
        Function<ParFunction<Integer, Integer>, ParFunction<Integer, Integer>> factory = Fresh.factory();
        for (int i = 0; i < TEACH; i++) {
            assertEquals(range(100, 164), mapper().pmap(factory.apply(x -> x), range(100, 164), options().workers(WORKERS)));
        }
        ParFunction<Integer, Integer> instant = factory.apply(x -> x);
        for (int i = 0; i < TEACH; i++) {
            assertEquals(range(100, 164), mapper().pmap(instant, range(100, 164), options().workers(WORKERS)));
        }
        // A list, and a stream (whose chunks an inherited tiny cost would make one chunk of all four).
        assertEquals(range(4), mapper().pmap(factory.apply(inPairs(new CyclicBarrier(2))), range(4),
                options().workers(2)), "from a list");
        assertEquals(range(4), mapper().pmap(factory.apply(inPairs(new CyclicBarrier(2))), range(4).stream(),
                options().workers(2)), "from a stream");
    }

    @Test
    default void shouldRunItemsSideBySideWhenTheyTurnSlowAfterBeingTiny() {
        // A memoised fetch: tiny on a hit, slow on a miss. One function object, learned tiny, whose
        // items then each need a partner running at the same time, and take 2 ms (the miss itself:
        // items that were only ever measured meeting their partner at once would be tiny still,
        // and ParKit may batch tiny items).
        AtomicReference<CyclicBarrier> partners = new AtomicReference<>();
        ParFunction<Integer, Integer> f = Fresh.fresh(x -> {
            CyclicBarrier b = partners.get();
            if (b != null && !warmUp(x)) {
                b.await(MEET.toMillis(), TimeUnit.MILLISECONDS); // a TimeoutException: no partner ran
                Thread.sleep(2);
            }
            return x;
        });
        var o = options().workers(2);
        List<Supplier<List<Integer>>> calls = List.of(
                () -> mapper().pmap(f, range(4), o),
                () -> mapper().pmap(f, range(4).stream(), o),
                () -> mapper().pimap(f, range(4).stream(), o).toList(),
                () -> mapper().pmap(f, (Iterable<Integer>) () -> range(4).iterator(), o), // read fast, size unknown
                () -> mapper().pmapCollect(f, range(128), o).orThrow());
        List<String> names = List.of("pmap of a list", "pmap of a stream", "pimap of a stream",
                "pmap of an iterable", "pmapCollect of 128");
        for (int c = 0; c < calls.size(); c++) {
            partners.set(null);
            for (int i = 0; i < TEACH; i++) {
                assertEquals(range(100, 164), mapper().pmap(f, range(100, 164), o));
            }
            partners.set(new CyclicBarrier(2));
            List<Integer> out = assertDoesNotThrow(calls.get(c)::get, names.get(c));
            assertEquals(range(out.size()), out, names.get(c));
        }
    }
}
