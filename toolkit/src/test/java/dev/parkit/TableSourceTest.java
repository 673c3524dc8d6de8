package dev.parkit;

import static dev.parkit.Par.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.parkit.display.Displays;
import dev.parkit.testing.RecordingDisplay;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A Tablesaw table as a source: each item is a Row of its own, at its row (issue 22). */
class TableSourceTest {
    private static final int ROWS = 100_000;
    private static Table table;
    private static List<Integer> serial;

    @BeforeAll
    static void makeTable() {
        table = Table.create("t", IntColumn.indexColumn("i", ROWS, 0),
                StringColumn.create("s", IntStream.range(0, ROWS).mapToObj(i -> "s" + i)));
        serial = new ArrayList<>();
        for (Row row : table) { // the serial loop: the cursor is read before it moves on
            serial.add(row.getInt("i"));
        }
    }

    private static List<Integer> sorted(List<Integer> xs) {
        return xs.stream().sorted().collect(Collectors.toList());
    }

    /** Equal to the serial loop's results; on failure, says where and how badly, not 10^5 numbers. */
    private static void assertSerial(List<Integer> got) {
        if (serial.equals(got)) {
            return;
        }
        int at = 0;
        while (at < Math.min(serial.size(), got.size()) && serial.get(at).equals(got.get(at))) {
            at++;
        }
        long wrong = IntStream.range(0, Math.min(serial.size(), got.size()))
                .filter(i -> !serial.get(i).equals(got.get(i))).count();
        fail("not the serial loop's results: " + got.size() + " results, " + wrong + " wrong, "
                + got.stream().distinct().count() + " distinct values; first wrong at " + at + ": "
                + got.subList(at, Math.min(got.size(), at + 8)) + " instead of "
                + serial.subList(at, Math.min(serial.size(), at + 8)));
    }

    @Test
    void shouldGiveEachRowItsOwnCursorOnEveryCallOfTheSharedPools() {
        ParFunction<Row, Integer> f = row -> row.getInt("i");
        assertAll(
                () -> assertSerial(pmap(f, table)),
                () -> assertSerial(pmap(f, table, options().workers(2))),
                () -> assertSerial(pimap(f, table).toList()),
                () -> assertSerial(sorted(pimapUnordered(f, table).toList())),
                () -> assertSerial(pmapCollect(f, table).values()),
                () -> assertEquals(List.of(), pmapCollect(f, table).failures()));
    }

    @Test
    void shouldGiveEachRowItsOwnCursorOnEveryCallOfAPool() {
        try (var pool = pool(2, () -> new StringBuilder())) {
            ParFunction<Row, Integer> f = row -> row.getInt("i");
            WorkerFunction<StringBuilder, Row, Integer> g = (sb, row) -> row.getInt("i");
            assertAll(
                    () -> assertSerial(pool.pmap(f, table)),
                    () -> assertSerial(pool.pmap(g, table)),
                    () -> assertSerial(pool.pimap(f, table).toList()),
                    () -> assertSerial(pool.pimap(g, table).toList()),
                    () -> assertSerial(sorted(pool.pimapUnordered(f, table).toList())),
                    () -> assertSerial(sorted(pool.pimapUnordered(g, table).toList())),
                    () -> assertSerial(pool.pmapCollect(f, table).values()),
                    () -> assertSerial(pool.pmapCollect(g, table).values()));
        }
    }

    @Test
    void shouldKeepEachItemAtItsRowAfterTheFunctionReturns() {
        Table small = Table.create("small", IntColumn.indexColumn("i", 1_000, 0));
        List<Row> rows = pmap(row -> row, small);
        assertEquals(1_000, rows.stream().distinct().count());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getInt("i"));
        }
    }

    @Test
    void shouldNameTheRowNumberAndItsValuesWhenTheFunctionFails() {
        ParFunction<Row, Integer> f = row -> {
            if (row.getInt("i") == 4242) {
                throw new IllegalStateException("bad row");
            }
            return row.getInt("i");
        };
        ParException e = assertThrows(ParException.class, () -> pmap(f, table));
        assertEquals("item 4242 (row 4242: i=4242, s=\"s4242\") failed: java.lang.IllegalStateException: bad row",
                e.getMessage());
        assertEquals(4242, ((Row) e.input()).getInt("i"));
        assertInstanceOf(IllegalStateException.class, e.getCause());

        MapResult<Row, Integer> r = pmapCollect(f, table);
        assertEquals(1, r.failures().size());
        Failure<Row> failure = r.failures().get(0);
        assertEquals(4242, failure.index());
        assertEquals(4242, failure.input().getInt("i"));
        assertEquals("item 4242 (row 4242: i=4242, s=\"s4242\"): java.lang.IllegalStateException: bad row",
                failure.toString());
    }

    /**
     * A failure keeps its own row (an item is a Row of its own, not a worker's moving cursor), so
     * a retry maps the rows that failed.
     */
    @Test
    void shouldRetryTheFailedRowsThemselves() {
        MapResult<Row, Integer> r = pmapCollect(row -> {
            if (row.getInt("i") % 1_000 == 7) {
                throw new java.io.IOException("flaky");
            }
            return row.getInt("i");
        }, table);
        assertEquals(ROWS / 1_000, r.failures().size());
        assertEquals(7, r.failures().get(0).input().getInt("i"));
        MapResult<Row, Integer> again = r.retry(row -> row.getInt("i"));
        assertEquals(List.of(), again.failures());
        assertSerial(again.values());
    }

    @Test
    void shouldCutTheRowPreviewOfAWideRow() {
        Table wide = Table.create("wide");
        for (int c = 0; c < 30; c++) {
            wide.addColumns(DoubleColumn.create("column" + c, new double[] {c + 0.5}));
        }
        ParException e = assertThrows(ParException.class, () -> pmap(row -> 1 / 0, wide));
        assertEquals("item 0 (row 0: column0=0.5, column1=1.5, column2=2.5, column3=3.5...) failed: "
                + "java.lang.ArithmeticException: / by zero", e.getMessage());
    }

    @Test
    void shouldCountRowsOnTheProgressBar() {
        RecordingDisplay nb = RecordingDisplay.notebook();
        Table small = Table.create("small", IntColumn.indexColumn("i", 300, 0));
        try (var scope = Displays.use(nb)) {
            assertEquals(serial.subList(0, 300), pmap(row -> row.getInt("i"), small, options().progress("rows")));
        }
        String last = nb.calls().get(nb.calls().size() - 1).html();
        assertTrue(last.contains("data-status=\"done\" data-done=\"300\" data-total=\"300\""), last);
    }

    @Test
    void shouldMapRowsOfDistinctRowObjects() {
        assertEquals(List.of(3, 7, 3), pmap(row -> row.getInt("i"), List.of(table.row(3), table.row(7), table.row(3))));
    }

    private static final String WHY = ": a Tablesaw Row is a cursor that moves along its table, so each worker would"
            + " read whichever row it points at when it gets to it. Pass the table itself, as in pmap(f, table): each"
            + " item is then a Row of its own.";

    private static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldRejectAListThatHoldsOneRowObjectTwice() {
        List<Row> cursor = table.stream().limit(1_000).toList();
        ParFunction<Row, Integer> f = row -> row.getInt("i");
        String message = "xs holds the same Row object at items 0 and 1" + WHY;
        assertRejected(message, () -> pmap(f, cursor));
        assertRejected(message, () -> pimap(f, cursor));
        assertRejected(message, () -> pimapUnordered(f, cursor));
        assertRejected(message, () -> pmapCollect(f, cursor));
        try (var pool = pool(2)) {
            assertRejected(message, () -> pool.pmap(f, cursor));
            assertRejected(message, () -> pool.pmapCollect(f, cursor));
        }
        Row r5 = table.row(5);
        assertRejected("xs holds the same Row object at items 1 and 3" + WHY,
                () -> pmap(f, List.of(table.row(4), r5, table.row(6), r5)));
    }

    @Test
    void shouldRejectAStreamOrIterableThatHandsOutOneRowObjectTwiceBeforeAnyItemRuns() {
        List<Row> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        ParFunction<Row, Integer> f = row -> {
            ran.add(row);
            return row.getInt("i");
        };
        String message = "xs hands out the same Row object as items 0 and 1" + WHY;
        assertRejected(message, () -> pmap(f, table.stream()));
        assertRejected(message, () -> pimap(f, table.stream()).toList());
        assertRejected(message, () -> pimapUnordered(f, table.stream()).toList());
        assertRejected(message, () -> pmapCollect(f, table.stream()));
        assertRejected(message, () -> pmap(f, new LinkedList<>(table.stream().limit(10).toList())));
        try (var pool = pool(2)) {
            assertRejected(message, () -> pool.pmap(f, table.stream()));
            assertRejected(message, () -> pool.pimap(f, table.stream()).toList());
        }
        assertEquals(List.of(), ran);
    }

    @Test
    void shouldMapAnEmptyTable() {
        Table empty = Table.create("empty", IntColumn.create("i"));
        assertEquals(List.of(), pmap(row -> row.getInt("i"), empty));
        assertEquals(List.of(), pimap(row -> row.getInt("i"), empty).toList());
    }

    @Test
    void shouldFailAtItsOwnPositionASourceThatThrowsRightAfterARow() {
        Iterable<Row> rows = () -> new java.util.Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                if (i == 2) {
                    throw new IllegalStateException("source gone");
                }
                return table.row(i++);
            }
        };
        ParException e = assertThrows(ParException.class, () -> pmap(row -> row.getInt("i"), rows));
        assertEquals(2, e.index());
        assertEquals("item 2 (null) could not be read from the source: java.lang.IllegalStateException: source gone",
                e.getMessage());
        java.util.Iterator<Integer> it = pimap((Row row) -> row.getInt("i"), rows).iterator();
        assertEquals(0, it.next());
        assertEquals(1, it.next());
        assertEquals(2, assertThrows(ParException.class, it::next).index());
    }

    @Test
    void shouldMapAStreamOfDistinctRowObjects() {
        assertEquals(List.of(3, 7, 3), pmap(row -> row.getInt("i"), java.util.stream.Stream.of(3, 7, 3).map(table::row)));
    }

    /** The toolkit's own classes in a loader of their own, without Tablesaw (nor anything else of the class path). */
    @Test
    void shouldMapListsAndStreamsWithoutTablesawOnTheClassPath() throws Exception {
        java.net.URL classes = Par.class.getProtectionDomain().getCodeSource().getLocation();
        // Not closed: the toolkit's warm-up thread may still be loading classes from it.
        var loader = new java.net.URLClassLoader(new java.net.URL[] {classes}, ClassLoader.getPlatformClassLoader());
        {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(Table.class.getName()));
            Class<?> par = loader.loadClass(Par.class.getName());
            Class<?> fn = loader.loadClass(ParFunction.class.getName());
            Object twice = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {fn}, (proxy, m, args) ->
                    switch (m.getName()) {
                        case "apply" -> (Integer) args[0] * 2;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "twice";
                    });
            assertEquals(List.of(0, 2, 4), par.getMethod("pmap", fn, Iterable.class).invoke(null, twice, List.of(0, 1, 2)));
            assertEquals(List.of(0, 2, 4), par.getMethod("pmap", fn, java.util.stream.Stream.class)
                    .invoke(null, twice, java.util.stream.Stream.of(0, 1, 2)));
            assertEquals(List.of(2, 4), par.getMethod("pmap", fn, Iterable.class)
                    .invoke(null, twice, new LinkedList<>(List.of(1, 2))));
        }
    }
}
