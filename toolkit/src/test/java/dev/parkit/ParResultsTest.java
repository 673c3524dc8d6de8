package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParResultsTest {

    private static double heavy(int x) {
        double acc = 0;
        for (int i = 1; i <= 200; i++) {
            acc += Math.sin(x * 0.001 * i) / i + Math.sqrt(x + i);
        }
        return acc;
    }

    private static <T, R> List<R> serial(ParFunction<T, R> f, List<T> xs) throws Exception {
        List<R> out = new ArrayList<>();
        for (T x : xs) {
            out.add(f.apply(x));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    void shouldMatchSerialFloatsBitForBitInInputOrder(int workers) throws Exception {
        List<Integer> xs = range(5_000);
        List<Double> expected = serial(ParResultsTest::heavy, xs);
        List<Double> got = pmap(ParResultsTest::heavy, xs, options().workers(workers));
        assertEquals(bits(expected), bits(got));
        assertEquals(bits(expected), bits(pimap(ParResultsTest::heavy, xs, options().workers(workers)).toList()));
    }

    private static List<Long> bits(List<Double> ds) {
        return ds.stream().map(Double::doubleToRawLongBits).collect(Collectors.toList());
    }

    @Test
    void shouldKeepNullResultsInPlace() throws Exception {
        List<Integer> xs = range(1_000);
        ParFunction<Integer, String> f = x -> x % 7 == 0 ? null : "v" + x;
        assertEquals(serial(f, xs), pmap(f, xs));
        assertEquals(serial(f, xs), pimap(f, xs).collect(Collectors.toList()));
    }

    @Test
    void shouldAcceptNullItems() throws Exception {
        List<String> xs = Arrays.asList("a", null, "c");
        assertEquals(List.of("A", "?", "C"), pmap(s -> s == null ? "?" : s.toUpperCase(), xs));
    }

    @Test
    void shouldSquareAListLikeTheBlogPost() {
        assertEquals(List.of(0, 1, 4, 9, 16), pmap(x -> x * x, range(5)));
        assertEquals(List.of(0, 1, 4, 9, 16), pimap(x -> x * x, range(5)).toList());
        assertEquals(List.of(0, 1, 4, 9, 16), pimapUnordered(x -> x * x, range(5)).sorted().toList());
    }

    @Test
    void shouldAcceptEverySourceKind() {
        List<Integer> expected = IntStream.range(0, 3000).map(x -> x + 1).boxed().toList();
        ParFunction<Integer, Integer> inc = x -> x + 1;
        assertEquals(expected, pmap(inc, new LinkedList<>(range(3000))));
        assertEquals(expected, pmap(inc, java.util.Arrays.asList(range(3000).toArray(new Integer[0]))));
        assertEquals(expected, pmap(inc, Stream.iterate(0, i -> i + 1).limit(3000)));
        assertEquals(expected, pmap(inc, (Iterable<Integer>) () -> range(3000).iterator()));
        assertEquals(expected, pimap(inc, Stream.iterate(0, i -> i + 1).limit(3000)).toList());
        assertEquals(List.of(5, 6, 7), pmap(x -> x, range(5, 8)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64, 10_000})
    void shouldKeepOrderWithAnyChunkSize(int chunk) {
        List<Integer> xs = range(20_000);
        List<Integer> expected = xs.stream().map(x -> x * 3).toList();
        assertEquals(expected, pmap(x -> x * 3, xs, options().chunkSize(chunk)));
        assertEquals(expected, pimap(x -> x * 3, xs, options().chunkSize(chunk)).toList());
        assertEquals(expected, pimapUnordered(x -> x * 3, xs, options().chunkSize(chunk)).sorted().toList());
    }

    @Test
    void shouldGiveEverySkewedResultInCompletionOrder() {
        List<Integer> xs = range(200);
        List<Integer> got = pimapUnordered(x -> {
            Thread.sleep(x % 10 == 0 ? 20 : 0);
            return x;
        }, xs, options().workers(4)).toList();
        assertEquals(xs, got.stream().sorted().toList());
        assertNotEquals(xs, got, "slow items should complete after later fast ones");
    }

    @Test
    void shouldReturnEmptyResultsForEmptyInput() {
        assertEquals(List.of(), pmap(x -> x, List.of()));
        assertEquals(List.of(), pmap(x -> x, Stream.empty()));
        assertEquals(List.of(), pimap(x -> x, List.of()).toList());
        assertEquals(List.of(), pimapUnordered(x -> x, List.of()).toList());
        MapResult<Object, Object> r = pmapCollect(x -> x, List.of());
        assertTrue(r.ok());
        assertEquals(List.of(), r.values());
    }

    @Test
    void shouldMakeAParallelVersionOfAFunction() {
        var squares = parallel((Integer x) -> x * x);
        assertEquals(List.of(0, 1, 4, 9, 16), squares.apply(range(5)));
        assertEquals(pmap(x -> x * x, range(1000)), squares.apply(range(1000)));
    }

    @Test
    void shouldReturnAListTheCallerMayModify() {
        List<Integer> ys = pmap(x -> 5 - x, range(5));
        ys.sort(null);
        ys.add(99);
        assertEquals(List.of(1, 2, 3, 4, 5, 99), ys);
    }

    @Test
    void shouldRunInIoMode() {
        long t0 = System.nanoTime();
        List<Integer> ys = pmap(x -> {
            Thread.sleep(50);
            return x;
        }, range(200), options().io().workers(100));
        assertEquals(range(200), ys);
        // 200 sleeps of 50 ms with 100 in flight take about 100 ms, not 10 s.
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "IO mode should overlap the waits");
    }
}
