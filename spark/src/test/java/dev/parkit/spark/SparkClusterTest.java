package dev.parkit.spark;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The call semantics on Spark's {@code local[2]} master (the executor runs in this JVM; the
 * notebook-cell cases run against a real cluster in tests/test_spark.py): ordering, failures,
 * laziness of the streams, empty input, validation.
 */
class SparkClusterTest {
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Spark.spark("local[2]");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void shouldKeepInputOrder() {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add(i * i);
        }
        assertEquals(expected, cluster.pmap(x -> x * x, range(1000)));
        assertEquals(expected, cluster.pmap(x -> x * x, range(1000), options().chunkSize(7)));
        assertEquals(expected, cluster.pimap(x -> x * x, range(1000), options().chunkSize(7)).toList());
        assertEquals(new TreeSet<>(expected), new TreeSet<>(cluster.pimapUnordered(x -> x * x, range(1000)).toList()));
        assertEquals(expected, cluster.pmap(x -> x * x, range(1000).stream()));
        assertEquals(expected.subList(0, 3), cluster.pmap(x -> x * x, new Integer[] {0, 1, 2}));
        assertEquals(expected, cluster.pimap(x -> x * x, range(1000).stream()).toList());
    }

    @Test
    void shouldCarryNullItemsAndResults() {
        assertEquals(Arrays.asList(null, "a", null), cluster.pmap(x -> x == null ? null : "a",
                Arrays.asList(null, 1, null)));
    }

    @Test
    void shouldGiveEmptyResultsForEmptyInput() {
        assertEquals(List.of(), cluster.pmap(x -> x, List.of()));
        assertEquals(0, cluster.pimap(x -> x, List.of()).count());
        assertTrue(cluster.pmapCollect(x -> x, List.of()).ok());
    }

    @Test
    void shouldNameTheFailingItemWithItsExceptionAsCause() {
        ParException e = assertThrows(ParException.class, () -> cluster.pmap(x -> {
            if (x == 42) {
                throw new IllegalStateException("bad " + x);
            }
            return x;
        }, range(100)));
        assertEquals(42, e.index());
        assertEquals(42, e.input());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("bad 42", e.getCause().getMessage());
    }

    @Test
    void shouldCollectEveryFailure() {
        MapResult<Integer, Integer> r = cluster.pmapCollect(x -> 10 / (x % 5), range(20), options().chunkSize(3));
        assertEquals(List.of(0L, 5L, 10L, 15L), r.failures().stream().map(Failure::index).toList());
        assertEquals(null, r.values().get(5));
        assertEquals(10, r.values().get(1));
        assertInstanceOf(ArithmeticException.class, r.failures().get(0).error());
    }

    @Test
    void shouldDeliverEveryEarlierResultBeforeThrowingInPimap() {
        Iterator<Integer> it = cluster.pimap(x -> {
            if (x == 10) {
                throw new IllegalArgumentException("ten");
            }
            return x;
        }, range(30), options().chunkSize(4)).iterator();
        for (int i = 0; i < 10; i++) {
            assertEquals(i, it.next());
        }
        ParException e = assertThrows(ParException.class, it::next);
        assertEquals(10, e.index());
    }

    @Test
    void shouldSendBackAnUnserializableExceptionAsAStandIn() {
        ParException e = assertThrows(ParException.class, () -> cluster.pmap(x -> {
            throw new HoldsAThread();
        }, range(2)));
        RemoteException cause = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals(HoldsAThread.class.getName(), cause.className());
        assertTrue(cause.getStackTrace().length > 0);
    }

    @Test
    void shouldFailTheItemWhoseResultCannotTravel() {
        MapResult<Integer, Object> r = cluster.pmapCollect(x -> x == 3 ? new Thread() : x, range(5));
        assertEquals(List.of(3L), r.failures().stream().map(Failure::index).toList());
        assertTrue(r.failures().get(0).error().getMessage().contains("java.lang.Thread) cannot be sent back"));
        assertEquals(4, r.values().get(4));
    }

    @Test
    void shouldRejectWhatItCannotDo() {
        assertThrows(UnsupportedOperationException.class,
                () -> cluster.pmap(x -> x, range(3), options().timeout(Duration.ofSeconds(1))));
        assertThrows(NullPointerException.class, () -> cluster.pmap((ParFunction<Integer, Integer>) null, range(3)));
        Thread notSerializable = new Thread();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cluster.pmap(x -> x + notSerializable.getName(), range(3)));
        assertTrue(e.getMessage().contains("the lambda captures a java.lang.Thread"), e.getMessage());
    }

    static final class HoldsAThread extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object thread = new Thread(); // makes the exception unserializable
    }
}
