package dev.parkit.spark;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.ParException;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.spark.testing.Printed;
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
    void shouldReturnListsTheCallerMayChangeAsLocalPmapDoes() {
        List<Integer> r = cluster.pmap(x -> 10 - x, range(5));
        r.sort(null);
        r.add(99);
        assertEquals(List.of(6, 7, 8, 9, 10, 99), r);
        List<Integer> none = cluster.pmap(x -> x, List.<Integer>of());
        none.add(1);
        assertEquals(List.of(1), none);
        MapResult<Integer, Integer> c = cluster.pmapCollect(x -> 10 / x, range(3));
        c.values().set(0, -1);
        assertEquals(Arrays.asList(-1, 10, 5), c.values());
    }

    @Test
    void shouldDrawABarForEmptyInputAsLocalCallsDo() {
        for (String call : List.of("pmap", "pmapCollect", "pimap", "pimapUnordered")) {
            Printed local = new Printed();
            Printed remote = new Printed();
            try (var scope = Displays.use(local)) {
                call(call, null, List.of(), options().progress("empty " + call));
            }
            try (var scope = Displays.use(remote)) {
                call(call, cluster, List.of(), options().progress("empty " + call));
            }
            assertEquals("empty " + call + ": 0/0 [####################] 100% R elapsed 0:00 done", local.lastLine());
            assertEquals(local.lastLine(), remote.lastLine(), call);
        }
    }

    /** One of the four calls over {@code xs}, on the cluster or (null) locally, consumed to the end. */
    private static void call(String name, SparkCluster on, List<Integer> xs, dev.parkit.Options o) {
        ParFunction<Integer, Integer> f = x -> x;
        switch (name) {
            case "pmap" -> assertEquals(xs, on == null ? Par.pmap(f, xs, o) : on.pmap(f, xs, o));
            case "pmapCollect" -> assertTrue((on == null ? Par.pmapCollect(f, xs, o) : on.pmapCollect(f, xs, o)).ok());
            case "pimap" -> assertEquals(xs, (on == null ? Par.pimap(f, xs, o) : on.pimap(f, xs, o)).toList());
            case "pimapUnordered" -> assertEquals(xs.size(),
                    (on == null ? Par.pimapUnordered(f, xs, o) : on.pimapUnordered(f, xs, o)).count());
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Test
    void shouldCountAFinishedBarsFailuresInLocalWords() {
        Printed local = new Printed();
        Printed remote = new Printed();
        ParFunction<Integer, Integer> f = x -> 10 / (x % 5);
        try (var scope = Displays.use(local)) {
            assertEquals(4, Par.pmapCollect(f, range(20), options().progress("collect")).failures().size());
        }
        try (var scope = Displays.use(remote)) {
            assertEquals(4, cluster.pmapCollect(f, range(20), options().progress("collect")).failures().size());
        }
        assertTrue(local.lastLine().endsWith(" done: 4 items failed"), local.lastLine());
        assertTrue(remote.lastLine().endsWith(" done: 4 items failed"), remote.lastLine());
        try (var scope = Displays.use(remote)) {
            cluster.pmapCollect(x -> 10 / x, range(3), options().progress("one"));
        }
        assertTrue(remote.lastLine().endsWith(" done: 1 item failed"), remote.lastLine());
    }

    @Test
    void shouldTimeOutASlowItemAsLocalCallsDo() {
        ParException e = assertThrows(ParException.class, () -> cluster.pmap(x -> {
            Thread.sleep(x == 3 ? 60_000 : 1);
            return x;
        }, range(20), options().timeout(Duration.ofMillis(200))));
        assertEquals(3, e.index());
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        assertEquals("item 3 (3) timed out: java.util.concurrent.TimeoutException: ran longer than the timeout"
                + " of 200 ms", e.getMessage());
    }

    static final java.util.concurrent.atomic.AtomicBoolean RELEASE = new java.util.concurrent.atomic.AtomicBoolean();

    @Test
    void shouldGoOnPastAnItemThatIgnoresItsTimeout() {
        long t0 = System.nanoTime();
        RELEASE.set(false);
        MapResult<Integer, Integer> r;
        try {
            r = cluster.pmapCollect(x -> {
                long end = System.nanoTime() + (x == 1 ? 5_000_000_000L : 0); // deaf to interrupts
                while (System.nanoTime() < end && !RELEASE.get()) {
                    Thread.onSpinWait();
                }
                return x;
            }, range(6), options().timeout(Duration.ofMillis(200)).chunkSize(6));
        } finally {
            RELEASE.set(true); // the abandoned item ends now, not spinning through the next tests
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 4, "the slice waited for the stuck item: " + seconds + " s");
        assertEquals(List.of(1L), r.failures().stream().map(Failure::index).toList());
        assertEquals(Failure.Origin.TIMEOUT, r.failures().get(0).origin());
        assertEquals(Arrays.asList(0, null, 2, 3, 4, 5), r.values());
    }

    /** A function of a class that only a class loader of this JVM's driver side knows (a jar added to the kernel alone). */
    public static final class OnlyOnTheDriver implements ParFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            return x + 1;
        }
    }

    @Test
    void shouldSayWhichClassTheExecutorsLackAndHowToGiveItToThem() throws Exception {
        String from = OnlyOnTheDriver.class.getName().replace('.', '/');
        String to = "dev/parkit/spark/elsewhere/NotOnTheExecutors";
        byte[] bytes;
        try (var in = OnlyOnTheDriver.class.getResourceAsStream("SparkClusterTest$OnlyOnTheDriver.class")) {
            bytes = in.readAllBytes();
        }
        org.objectweb.asm.ClassWriter w = new org.objectweb.asm.ClassWriter(0);
        new org.objectweb.asm.ClassReader(bytes).accept(new org.objectweb.asm.commons.ClassRemapper(w,
                new org.objectweb.asm.commons.SimpleRemapper(from, to)), 0);
        byte[] renamed = w.toByteArray();
        ClassLoader driverOnly = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(to.replace('/', '.'))) {
                    return defineClass(name, renamed, 0, renamed.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        @SuppressWarnings("unchecked")
        ParFunction<Integer, Integer> f = (ParFunction<Integer, Integer>) driverOnly.loadClass(to.replace('/', '.'))
                .getDeclaredConstructor().newInstance();
        assertEquals(2, f.apply(1), "the function runs here");

        MapResult<Integer, Integer> r = cluster.pmapCollect(f, range(3));
        assertEquals(List.of(0L, 1L, 2L), r.failures().stream().map(Failure::index).toList(), r.toString());
        Failure<Integer> first = r.failures().get(0);
        assertEquals(Failure.Origin.REMOTE, first.origin(), "not a ParKit bug: " + first);
        String message = String.valueOf(first.error().getMessage());
        assertTrue(message.contains("cannot load class dev.parkit.spark.elsewhere.NotOnTheExecutors")
                && message.contains("spark.jars"), message);
        ParException e = assertThrows(ParException.class, () -> cluster.pmap(f, range(3)));
        assertTrue(e.getMessage().contains("could not run where it was sent") && e.getMessage().contains("spark.jars"),
                e.getMessage());
    }

    @Test
    void shouldSendAFunctionsPackageOncePerClusterNotOncePerCall() {
        int[] big = new int[250_000]; // a captured value of about 1 MB travels in the package
        java.util.Arrays.fill(big, 1);
        ParFunction<Integer, Integer> f = x -> x + big[x];
        java.util.Map<String, Long> before = executorCounters();
        for (int call = 0; call < 5; call++) {
            assertEquals(range(1, 41), cluster.pmap(f, range(40), options().chunkSize(5))); // 8 tasks a call
        }
        java.util.Map<String, Long> after = executorCounters();
        // The executors' own record: one copy of the package reached them and was unpacked, for
        // 5 calls of 8 tasks (local[2]: one executor, this JVM).
        assertEquals(1, after.get("arrived") - before.get("arrived"), before + " -> " + after);
        assertEquals(1, after.get("unpacked") - before.get("unpacked"), before + " -> " + after);
        // A new value is a new package: it travels once more.
        ParFunction<Integer, Integer> g = x -> x + big[x] * 2;
        cluster.pmap(g, range(40), options().chunkSize(5));
        cluster.pmap(g, range(40), options().chunkSize(5));
        assertEquals(2, executorCounters().get("arrived") - before.get("arrived"));
    }

    /** TaskPackage's counters, as an executor reports them in a Spark task of its own. */
    private static java.util.Map<String, Long> executorCounters() {
        return cluster.sparkContext().parallelize(List.of(0), 1)
                .map(x -> new java.util.HashMap<>(dev.parkit.spark.internal.TaskPackage.counters()))
                .collect().get(0);
    }

    @Test
    void shouldStopStartingItemsOnceTheCallerIsInterrupted() throws Exception {
        // Judged by the executor's own record (local[2]: this JVM) of when each item started.
        java.util.Map<Integer, Long> started = STARTED;
        started.clear();
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                cluster.pmap(x -> {
                    STARTED.put(x, System.nanoTime());
                    long end = System.nanoTime() + 20_000_000; // 20 ms of CPU, deaf to interrupts
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return x;
                }, range(4000));
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> started.size() >= 20);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(5000);
        assertTrue(!caller.isAlive(), "the call did not end");
        assertInstanceOf(java.util.concurrent.CancellationException.class, ended.get());
        settles(started, Duration.ofSeconds(1), "items still start after the interrupt");
        long lastStart = started.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(lastStart - interrupted < 1_000_000_000L, "an item started "
                + (lastStart - interrupted) / 1e9 + " s after the interrupt");
    }

    /**
     * Waits until no item has been added to {@code started} for {@code quiet} (within 20 s), failing
     * with {@code why} if items keep starting.
     */
    private static void settles(java.util.Map<Integer, Long> started, Duration quiet, String why) {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger(-1);
        await(why).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).during(quiet)
                .until(() -> seen.getAndSet(started.size()) == started.size());
    }

    /** Items of the pimap test below that started, with when, written on the executor. */
    static final java.util.Map<Integer, Long> STARTED = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.Map<Integer, Long> ENDED = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void shouldCancelLaterItemsOfPimapAsSoonAsAFailureIsKnown() throws Exception {
        // local[2] is this JVM, so the executors' record of what ran is these maps.
        STARTED.clear();
        ENDED.clear();
        Iterator<Integer> it = cluster.pimap(x -> {
            STARTED.put(x, System.nanoTime());
            try {
                if (x == 5) {
                    throw new IllegalStateException("five");
                }
                Thread.sleep(300);
                return x;
            } finally {
                ENDED.put(x, System.nanoTime());
            }
        }, range(40), options().chunkSize(1)).iterator();
        // The consumer has not asked for anything: the failure is known when slice 5 reaches the
        // driver. Wait until the items before it are over, then until no item has started for
        // 1.5 s, and at least 3.5 s after the failure.
        await().atMost(Duration.ofSeconds(30)).until(() -> ENDED.keySet().containsAll(List.of(0, 1, 2, 3, 4, 5)));
        long failedAt = ENDED.get(5);
        settles(STARTED, Duration.ofMillis(1500), "items still start after the failure");
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - failedAt > 3_500_000_000L);
        List<Integer> startedLate = new ArrayList<>();
        STARTED.forEach((x, t) -> {
            if (x > 5 && t > failedAt + 2_000_000_000L) {
                startedLate.add(x);
            }
        });
        // Without cancelling, two cores start items of 300 ms all along (about 23 more in 3.5 s).
        // Spark's cancelling itself takes up to a second or so to stop launching tasks here.
        assertEquals(List.of(), startedLate, "items after the failure started 2 s after it: "
                + new TreeSet<>(STARTED.keySet()));
        assertTrue(new TreeSet<>(STARTED.keySet()).last() <= 20, "items after the failure ran: "
                + new TreeSet<>(STARTED.keySet()));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, it.next()); // the earlier items ran on and are delivered
        }
        ParException e = assertThrows(ParException.class, it::next);
        assertEquals(5, e.index());
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
        // The executor's stack trace: the item ran on its ParKit engine (ChunkRuns), which tests/test_spark.py looks for.
        assertTrue(Arrays.stream(e.getCause().getStackTrace()).anyMatch(
                frame -> frame.getClassName().startsWith("dev.parkit.calls.ChunkRuns")), Arrays.toString(e.getCause().getStackTrace()));
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
            // Each slice is a job: once the marker's job of its last item is seen, every job seen
            // must be one of the marker call's.
            assertTrue(jobs.marker.await(60, java.util.concurrent.TimeUnit.SECONDS), "the marker job's start");
            String marker = jobs.descriptions.get(0).replaceAll(":.*", "");
            assertTrue(marker.matches("ParKit pmap #\\d+"), marker);
            assertTrue(jobs.descriptions.stream().allMatch(d -> d.startsWith(marker + ": item")), jobs.descriptions.toString());
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

    /** Records the descriptions of the jobs that start; {@code marker} opens at the job of an item 2. */
    static final class JobStarts extends org.apache.spark.scheduler.SparkListener {
        final List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.CountDownLatch marker = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
            String d = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.job.description");
            descriptions.add(d);
            if (d != null && (d.endsWith(": item 2") || d.endsWith(" to 2"))) {
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
