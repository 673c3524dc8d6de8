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

    /** One row of a table, as values that travel: what the refusal of a table tells the user to send. */
    record Point(int i, String s) implements java.io.Serializable {}

    @Test
    void shouldRefuseATableOrItsRowsBeforeAnyJobStarts() throws Exception {
        tech.tablesaw.api.Table table = tech.tablesaw.api.Table.create("t",
                tech.tablesaw.api.IntColumn.indexColumn("i", 100, 0),
                tech.tablesaw.api.StringColumn.create("s", java.util.stream.IntStream.range(0, 100).mapToObj(i -> "s" + i)));
        ParFunction<tech.tablesaw.api.Row, Integer> f = row -> row.getInt("i");
        String advice = ": Table and Row are not Serializable, and a Row is a cursor over a table in this JVM."
                + " Send the values f needs instead: a column's values, as in"
                + " cluster.pmap(x -> ..., table.intColumn(\"i\").asList()), or a Serializable record per row, as in"
                + " cluster.pmap(p -> ..., table.stream().map(r -> new Point(r.getInt(\"i\"), r.getString(\"s\"))).toList());"
                + " or map the table on this machine with pmap(f, table).";
        JobStarts jobs = new JobStarts();
        cluster.sparkContext().sc().addSparkListener(jobs);
        try {
            String table_ = "xs is a Tablesaw Table: its rows cannot be sent to the executors" + advice;
            assertMessage(table_, () -> cluster.pmap(f, table));
            assertMessage(table_, () -> cluster.pimap(f, table));
            assertMessage(table_, () -> cluster.pimapUnordered(f, table, options().progress("rows")));
            assertMessage(table_, () -> cluster.pmapCollect(f, table));
            String rows = "xs holds a Tablesaw Row at item 0: a Row cannot be sent to the executors" + advice;
            assertMessage(rows, () -> cluster.pmap(f, table.stream()));
            assertMessage(rows, () -> cluster.pmap(f, table.stream().toList()));
            assertMessage(rows, () -> cluster.pmap(f, List.of(table.row(1), table.row(2))));

            // A call after them starts a job, and Spark's listener bus delivers job starts in order:
            // once its start is seen, a job of any refused call would have been seen before it.
            assertEquals(List.of(0, 1, 2), cluster.pmap(x -> x, range(3)));
            assertTrue(jobs.marker.await(60, java.util.concurrent.TimeUnit.SECONDS), "the marker job's start");
            assertEquals(List.of("ParKit pmap of 3 items"), jobs.descriptions);
        } finally {
            cluster.sparkContext().sc().removeSparkListener(jobs);
        }
        // What the message says to send instead works.
        assertEquals(range(100), cluster.pmap(x -> x, table.intColumn("i").asList()));
        assertEquals(range(100), cluster.pmap(Point::i,
                table.stream().map(r -> new Point(r.getInt("i"), r.getString("s"))).toList()));
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    /** Records the descriptions of the jobs that start; {@code marker} opens at the 3-item call's. */
    static final class JobStarts extends org.apache.spark.scheduler.SparkListener {
        final List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.CountDownLatch marker = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
            String d = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.job.description");
            descriptions.add(d);
            if ("ParKit pmap of 3 items".equals(d)) {
                marker.countDown();
            }
        }
    }

    static final class HoldsAThread extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object thread = new Thread(); // makes the exception unserializable
    }
}
