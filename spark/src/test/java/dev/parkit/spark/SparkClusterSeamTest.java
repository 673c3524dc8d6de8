package dev.parkit.spark;

import static dev.parkit.Par.options;
import static dev.parkit.Par.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.MapResult;
import dev.parkit.ParException;
import dev.parkit.display.Displays;
import dev.parkit.spark.testing.Printed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a cluster call gains from being a local call whose chunks run on Spark (issue 19), on
 * {@code local[2]} (the executor is this JVM, so the tests read its record of what ran in static
 * fields): per-worker state, retry on the cluster, lazy infinite sources, per-item progress.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SparkClusterSeamTest {
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Spark.spark("local[2]");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** A worker's state: counts its items, and whether it was closed. */
    static final class State implements AutoCloseable {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger busy = new AtomicInteger();
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    static final List<State> STATES = java.util.Collections.synchronizedList(new ArrayList<>());
    static final AtomicInteger OVERLAPS = new AtomicInteger();

    @Test
    void shouldMakeEachWorkersStateOncePerExecutorThreadAndCloseItWithThePool() {
        STATES.clear();
        OVERLAPS.set(0);
        ClusterPool<State> pool = cluster.pool(() -> {
            State s = new State();
            STATES.add(s);
            return s;
        });
        try (pool) {
            for (int call = 0; call < 3; call++) {
                List<Integer> r = pool.pmap((s, x) -> {
                    if (s.busy.incrementAndGet() != 1) {
                        OVERLAPS.incrementAndGet(); // two items at once on one state
                    }
                    s.threads.add(Thread.currentThread().getName());
                    s.busy.decrementAndGet();
                    return x * 2;
                }, range(200), options().chunkSize(5)); // 40 slices a call
                assertEquals(range(200).stream().map(x -> x * 2).toList(), r);
            }
            assertEquals(200, pool.pimap((s, x) -> x, range(200), options().chunkSize(5)).count());
            assertTrue(pool.pmapCollect((State s, Integer x) -> 10 / x, range(20)).failures().size() == 1);
            // local[2]: one executor running two tasks at once. 120 slices, at most two states.
            assertTrue(STATES.size() >= 1 && STATES.size() <= 2, STATES.size() + " states for 2 executor threads");
            assertEquals(0, OVERLAPS.get(), "a state was used by two items at once");
            assertTrue(STATES.stream().noneMatch(s -> s.closed), "a state was closed while its pool was open");
        }
        assertTrue(STATES.stream().allMatch(s -> s.closed), "closing the pool closes its states (local master)");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.pmap((s, x) -> x, range(3)));
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
        assertThrows(NullPointerException.class, () -> cluster.pool(null));
    }

    @Test
    void shouldRunTheNotebooksExamplesOfATimeoutAndAPool() throws Exception {
        // notebooks/06-scale-out.ipynb and the README, as written there.
        var timed = cluster.pmapCollect(x -> {
            if (x == 3) Thread.sleep(60_000);   // one stuck item
            return x * 10;
        }, range(6), options().timeout(java.time.Duration.ofMillis(500)));
        assertEquals(java.util.Arrays.asList(0, 10, 20, null, 40, 50), timed.values());
        assertEquals("[item 3 (3): java.util.concurrent.TimeoutException: ran longer than the timeout of 500 ms]",
                timed.failures().toString());
        try (var digests = cluster.pool(() -> java.security.MessageDigest.getInstance("SHA-256"))) {
            List<String> hashes = digests.pmap((md, s) -> java.util.HexFormat.of().formatHex(md.digest(s.getBytes())).substring(0, 12),
                    List.of("a", "b", "c"));
            assertEquals(List.of("ca978112ca1b", "3e23e8160039", "2e7d2c03a950"), hashes);
        }
    }

    /** Jobs started, as Spark's listener bus reports them, with their descriptions. */
    static final class Jobs extends SparkListener {
        final List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            started.add(start.properties() == null ? null : start.properties().getProperty("spark.job.description"));
        }
    }

    static final Set<Integer> RETRIED = ConcurrentHashMap.newKeySet();

    @Test
    void shouldRetryOnTheCluster() {
        Jobs jobs = new Jobs();
        cluster.sparkContext().sc().addSparkListener(jobs);
        RETRIED.clear();
        try {
            MapResult<Integer, Integer> r = cluster.pmapCollect(x -> {
                if (x % 3 == 0) {
                    throw new IllegalStateException("flaky " + x);
                }
                return x;
            }, range(12));
            assertEquals(4, r.failures().size());
            assertSame(cluster, r.mapper());
            // The first call's jobs, every one seen (the listener hears of them after they start).
            await().atMost(Duration.ofSeconds(10)).until(() -> !calls(jobs).isEmpty());
            Set<String> first = calls(jobs);
            assertEquals(1, first.size(), jobs.started.toString());
            MapResult<Integer, Integer> fixed = r.retry(x -> {
                RETRIED.add(x);
                return x;
            });
            assertEquals(range(12), fixed.values());
            // The retry's items went to the executors as Spark jobs of a cluster call of its own.
            await().atMost(Duration.ofSeconds(10)).until(() -> calls(jobs).size() == 2);
            assertTrue(jobs.started.stream().allMatch(d -> d.startsWith("ParKit pmapCollect #")), jobs.started.toString());
            assertEquals(Set.of(0, 3, 6, 9), RETRIED);
        } finally {
            cluster.sparkContext().sc().removeSparkListener(jobs);
        }
    }

    /** The cluster calls whose jobs started, by their number in the jobs' descriptions ("ParKit pmapCollect #7: ..."). */
    private static Set<String> calls(Jobs jobs) {
        synchronized (jobs.started) {
            return jobs.started.stream().map(d -> d == null ? "?" : d.replaceAll(":.*", ""))
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    @Test
    void shouldReadAnInfiniteSourceInWindows() {
        AtomicLong read = new AtomicLong();
        Stream<Integer> naturals = Stream.iterate(0, i -> i + 1).peek(i -> read.incrementAndGet());
        List<Integer> got;
        try (Stream<Integer> doubled = cluster.pimap(x -> x * 2, naturals)) {
            got = doubled.limit(2000).toList();
        }
        assertEquals(range(2000).stream().map(x -> x * 2).toList(), got);
        // The driver holds a window of items ahead of the consumer, not the stream: at most
        // 4,096 items per worker (Claims.WINDOW_ITEMS_PER_WORKER), 2 workers on local[2].
        long ahead = read.get() - 2000;
        assertTrue(ahead <= 2 * 4096, ahead + " items read ahead of the consumer");
    }

    @Test
    void shouldSubmitNoLaterSliceOnceAPimapFailedOrWasClosed() {
        Jobs jobs = new Jobs();
        cluster.sparkContext().sc().addSparkListener(jobs);
        try {
            Iterator<Integer> it = cluster.pimap(x -> {
                if (x == 300) {
                    throw new IllegalStateException("three hundred");
                }
                return x;
            }, Stream.iterate(0, i -> i + 1)).iterator();
            for (int i = 0; i < 300; i++) {
                assertEquals(i, it.next());
            }
            assertEquals(300, assertThrows(ParException.class, it::next).index());
            assertQuiet(jobs, "after the failure");

            Stream<Integer> open = cluster.pimap(x -> x, Stream.iterate(0, i -> i + 1));
            assertEquals(range(100), open.limit(100).toList()); // limit's toList does not close the source
            open.close();
            assertQuiet(jobs, "after close");
        } finally {
            cluster.sparkContext().sc().removeSparkListener(jobs);
        }
    }

    /** No job starts for 1.5 s, once the listener bus has delivered what was submitted. */
    private static void assertQuiet(Jobs jobs, String when) {
        AtomicInteger seen = new AtomicInteger(-1);
        await(when).pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> {
                    int now = jobs.started.size();
                    return seen.getAndSet(now) == now;
                });
    }

    static final CountDownLatch LAST_ITEM = new CountDownLatch(1);

    @Test
    void shouldMoveTheBarWhileASliceRuns() {
        Printed printed = new Printed();
        // One slice of 10 items: the last one waits until the bar shows an earlier one done.
        try (var scope = Displays.use(printed)) {
            Thread watcher = new Thread(() -> {
                await().atMost(Duration.ofSeconds(20)).until(() -> done(printed.lastLine()) >= 1);
                LAST_ITEM.countDown();
            });
            watcher.start();
            List<Integer> r = cluster.pmap(x -> {
                if (x == 9 && !LAST_ITEM.await(25, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the bar did not move while the slice ran");
                }
                return x;
            }, range(10), options().chunkSize(10).workers(1).progress("slow"));
            assertEquals(range(10), r);
        }
        assertTrue(printed.lastLine().startsWith("slow: 10/10"), printed.lastLine());
    }

    /** The done count of a bar's line {@code "label: 3/10 [..."}, or -1. */
    private static int done(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (\\d+)/").matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
