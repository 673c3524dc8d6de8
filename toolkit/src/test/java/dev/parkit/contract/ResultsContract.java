package dev.parkit.contract;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static dev.parkit.contract.Items.warmUp;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.ParFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a call returns: order, completion order, empty input, nulls, chunking, overloads, an infinite source. */
interface ResultsContract extends MapperUnderTest {

    /** Every seventh item takes a millisecond, so items finish out of order. */
    private static ParFunction<Integer, Integer> skewedTriple() {
        return x -> {
            if (!warmUp(x) && x % 7 == 0) {
                Thread.sleep(1);
            }
            return x * 3;
        };
    }

    private static List<Integer> triples(int n) {
        return range(n).stream().map(x -> x * 3).toList();
    }

    @Test
    default void shouldKeepInputOrderInPmap() {
        for (int n : new int[] {40, 300}) {
            List<Integer> xs = range(n);
            assertEquals(triples(n), mapper().pmap(skewedTriple(), xs, options().workers(WORKERS)), "list of " + n);
            assertEquals(triples(n), mapper().pmap(skewedTriple(), xs.stream()), "stream of " + n);
            assertEquals(triples(n), mapper().pmap(skewedTriple(), new LinkedList<>(xs)), "iterable of " + n);
        }
    }

    /**
     * A collection whose {@code size()} says {@code size} while its iterator gives {@code items}:
     * what a concurrent queue or set looks like when it is filled while it is read.
     */
    private static java.util.Collection<Integer> sizedWrong(int size, int items) {
        return new java.util.AbstractCollection<>() {
            @Override
            public Iterator<Integer> iterator() {
                return range(items).iterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Test
    default void shouldReadACollectionToItsIteratorsEndWhateverItsSizeSaid() {
        // A for-each reads a collection to its iterator's end; so does every call. Before: a
        // ConcurrentLinkedQueue of 5 that the function grew to 10 gave 5 results, silently.
        for (int size : new int[] {5, 20}) {
            java.util.Collection<Integer> xs = sizedWrong(size, 10);
            var o = options().workers(WORKERS);
            String what = "size() " + size + ", 10 items: ";
            assertEquals(triples(10), mapper().pmap(x -> x * 3, xs, o), what + "pmap");
            assertEquals(triples(10), mapper().pimap(x -> x * 3, xs, o).toList(), what + "pimap");
            assertEquals(triples(10), mapper().pimapUnordered(x -> x * 3, xs, o).sorted().toList(), what + "pimapUnordered");
            MapResult<Integer, Integer> r = mapper().pmapCollect(x -> x * 3, xs, o);
            assertEquals(triples(10), r.values(), what + "pmapCollect");
            assertTrue(r.failures().isEmpty(), what + r.failures());
        }
    }

    @Test
    default void shouldCloseTheSourceStreamWhenALazyCallsStreamIsClosed() {
        // As xs.map(f) would: try (var s = pimap(f, Files.lines(p))) closes the file. Before, each
        // such call left a file open.
        for (boolean ordered : new boolean[] {true, false}) {
            java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
            Stream<Integer> source = range(100).stream().onClose(closed::incrementAndGet);
            try (Stream<Integer> s = ordered ? mapper().pimap(x -> x, source) : mapper().pimapUnordered(x -> x, source)) {
                assertEquals(3, s.limit(3).toList().size());
                assertEquals(0, closed.get(), "closed before the call's stream was");
            }
            assertEquals(1, closed.get(), (ordered ? "pimap" : "pimapUnordered") + ": the source's close handlers ran");
        }
    }

    @Test
    default void shouldKeepInputOrderInPimap() {
        for (int n : new int[] {40, 300}) {
            List<Integer> xs = range(n);
            assertEquals(triples(n), mapper().pimap(skewedTriple(), xs, options().workers(WORKERS)).toList());
            assertEquals(triples(n), mapper().pimap(skewedTriple(), xs.stream()).toList());
        }
    }

    @Test
    default void shouldMatchTheSerialLoopBitForBit() throws Exception {
        ParFunction<Integer, Double> heavy = x -> {
            double acc = 0;
            for (int i = 1; i <= 50; i++) {
                acc += Math.sin(x * 0.001 * i) / i + Math.sqrt(x + i);
            }
            return acc;
        };
        List<Long> serial = new ArrayList<>();
        for (int x : range(2_000)) {
            serial.add(Double.doubleToRawLongBits(heavy.apply(x)));
        }
        List<Long> parallel = mapper().pmap(heavy, range(2_000), options().workers(WORKERS)).stream()
                .map(Double::doubleToRawLongBits).toList();
        assertEquals(serial, parallel);
    }

    @Test
    default void shouldGiveTheSameResultsInPimapUnordered() {
        for (int n : new int[] {40, 300}) {
            List<Integer> got = new ArrayList<>(mapper().pimapUnordered(skewedTriple(), range(n),
                    options().workers(WORKERS)).toList());
            got.sort(null);
            assertEquals(triples(n), got, "the same results, each once, in some order");
        }
    }

    @Test
    default void shouldGiveResultsInCompletionOrderInPimapUnordered() {
        // Item 0 ends only once the consumer has a result: item 1's, which completed first.
        CountDownLatch firstTaken = new CountDownLatch(1);
        ParFunction<Integer, Integer> f = x -> {
            if (x == 0) {
                assertTrue(firstTaken.await(MEET.toMillis(), TimeUnit.MILLISECONDS), "no result reached the consumer");
            }
            return x;
        };
        Iterator<Integer> it = mapper().pimapUnordered(f, range(2), options().workers(2).chunkSize(1)).iterator();
        int first = it.next();
        firstTaken.countDown();
        int second = it.next();
        assertEquals(List.of(1, 0), List.of(first, second), "item 1 completed first, while item 0 waited for it");
        assertFalse(it.hasNext());
    }

    @Test
    default void shouldReturnEmptyResultsForEmptyInput() {
        Mapper m = mapper();
        ParFunction<Object, Object> f = x -> x;
        assertEquals(List.of(), m.pmap(f, List.of()));
        assertEquals(List.of(), m.pmap(f, Stream.empty(), options()));
        assertEquals(List.of(), m.pimap(f, List.of()).toList());
        assertEquals(List.of(), m.pimap(f, Stream.empty()).toList());
        assertEquals(List.of(), m.pimapUnordered(f, List.of()).toList());
        MapResult<Object, Object> r = m.pmapCollect(f, Stream.empty());
        assertTrue(r.ok());
        assertEquals(List.of(), r.values());
        List<Object> none = m.pmap(f, List.of());
        none.add("mine");
        assertEquals(List.of("mine"), none, "even an empty result is a list the caller may change");
    }

    @Test
    default void shouldKeepNullItemsAndNullResultsInPlace() {
        List<String> xs = Arrays.asList("a", null, "c", null);
        ParFunction<String, String> upper = s -> s == null ? null : s.toUpperCase();
        List<String> expected = Arrays.asList("A", null, "C", null);
        assertEquals(expected, mapper().pmap(upper, xs));
        assertEquals(expected, mapper().pimap(upper, xs).toList());
        assertEquals(expected, mapper().pmapCollect(upper, xs).values());
        assertEquals(expected.size(), mapper().pimapUnordered(upper, xs.stream()).count());
    }

    @Test
    default void shouldReturnAListTheCallerMayChange() {
        List<Integer> ys = mapper().pmap(x -> 5 - x, range(5));
        ys.sort(null);
        ys.add(99);
        assertEquals(List.of(1, 2, 3, 4, 5, 99), ys);
    }

    @Test
    default void shouldGiveTheSameResultsThroughEveryOverload() {
        Mapper m = mapper();
        ParFunction<Integer, Integer> f = x -> x * x;
        List<Integer> xs = range(100);
        List<Integer> expected = xs.stream().map(x -> x * x).toList();
        var o = options().workers(WORKERS);
        assertEquals(expected, m.pmap(f, xs));
        assertEquals(expected, m.pmap(f, xs, o));
        assertEquals(expected, m.pmap(f, xs.stream()));
        assertEquals(expected, m.pmap(f, xs.stream(), o));
        assertEquals(expected, m.pimap(f, xs).toList());
        assertEquals(expected, m.pimap(f, xs, o).toList());
        assertEquals(expected, m.pimap(f, xs.stream()).toList());
        assertEquals(expected, m.pimap(f, xs.stream(), o).toList());
        assertEquals(expected, m.pimapUnordered(f, xs).sorted().toList());
        assertEquals(expected, m.pimapUnordered(f, xs, o).sorted().toList());
        assertEquals(expected, m.pimapUnordered(f, xs.stream()).sorted().toList());
        assertEquals(expected, m.pimapUnordered(f, xs.stream(), o).sorted().toList());
        assertEquals(expected, m.pmapCollect(f, xs).values());
        assertEquals(expected, m.pmapCollect(f, xs, o).values());
        assertEquals(expected, m.pmapCollect(f, xs.stream()).values());
        assertEquals(expected, m.pmapCollect(f, xs.stream(), o).values());
    }

    @Test
    default void shouldKeepOrderWithAnyChunkSize() {
        List<Integer> xs = range(500); // chunks of 1 on a cluster are a Spark job each: 4 calls, 2,000 jobs
        List<Integer> expected = xs.stream().map(x -> x * 3).toList();
        for (int chunk : new int[] {1, 3, 64, 10_000}) {
            var o = options().workers(WORKERS).chunkSize(chunk);
            assertEquals(expected, mapper().pmap(x -> x * 3, xs, o), "pmap, chunks of " + chunk);
            assertEquals(expected, mapper().pimap(x -> x * 3, xs.stream(), o).toList(), "pimap, chunks of " + chunk);
            assertEquals(expected, mapper().pimapUnordered(x -> x * 3, xs, o).sorted().toList(),
                    "pimapUnordered, chunks of " + chunk);
            assertEquals(expected, mapper().pmapCollect(x -> x * 3, xs, o).values(), "pmapCollect, chunks of " + chunk);
        }
    }

    @Test
    default void shouldReadAnInfiniteSourceOnlyAheadOfThePimapConsumer() {
        AtomicLong pulled = new AtomicLong();
        Stream<Integer> infinite = Stream.iterate(0, i -> {
            pulled.incrementAndGet();
            return i + 1;
        });
        List<Integer> first = mapper().pimap(x -> x * 2, infinite, options().workers(WORKERS)).limit(10).toList();
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), first);
        assertTrue(pulled.get() < 100_000, "pimap read " + pulled.get() + " items ahead of its consumer");
    }
}
