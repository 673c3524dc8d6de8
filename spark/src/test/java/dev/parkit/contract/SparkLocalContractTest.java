package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.ParFunction;
import dev.parkit.spark.Spark;
import dev.parkit.spark.SparkCluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The toolkit's contract suite against a Spark cluster on {@code local[2]}: every call goes through
 * Spark jobs, slices, the executor's local engine and back, with items, results and failures
 * serialized on the way as on any cluster.
 *
 * <p>One thing differs from a real cluster, on purpose: the contracts' functions capture latches
 * and counters to watch what runs, so they travel by reference ({@link ByReference}: Spark's
 * local executor runs in this JVM), not as copies. A cluster is one application per JVM, so the
 * mapper under test is one cluster for every test, seen through a view that cannot be closed: the
 * suite's tests of closing a mapper skip themselves ("only a mapper that can be closed"). The
 * promises that cannot hold on a cluster are listed in notKept(), each with why.
 */
class SparkLocalContractTest extends MapperContract {
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Spark.spark("local[2]");
    }

    @AfterAll
    static void stop() {
        cluster.close();
        ByReference.FUNCTIONS.clear();
    }

    @Override
    protected Mapper newMapper() {
        return new OnCluster();
    }

    /** Why items that must run side by side cannot be promised on any cluster. */
    static final String SLICES = "on a cluster, workers bounds the slices that run at once, not the items: a slice's"
            + " items run one after another on one executor core (a Spark task holds one), and slices grow"
            + " until Spark's cost per job is small, so items that must meet a partner running at the same"
            + " time can share a slice and wait for each other in vain";

    /** The contracts this mapper cannot keep, by name, and why: skipped with that reason ({@link MapperContract#notKept}). */
    @Override
    protected Map<String, String> notKept() {
        return Map.ofEntries(
                Map.entry("shouldRunItemsSideBySideWhenTheyTurnSlowAfterBeingTiny", SLICES));
    }

    /**
     * {@link FailuresContract#shouldStartNoItemOnceAFailedCallHasReturned}, but for the identity of
     * the cause: on a cluster it travelled back from the executor, so it is an equal copy (class,
     * message), not the same object.
     */
    @org.junit.jupiter.api.Test
    @Override
    public void shouldStartNoItemOnceAFailedCallHasReturned() {
        int n = 100_000;
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        ParFunction<Integer, Integer> f = Fresh.fresh(x -> {
            if (Items.warmUp(x)) {
                return x;
            }
            started.incrementAndGet();
            if (x == n / 2 && fail.get()) {
                throw new IllegalStateException("boom");
            }
            return x;
        });
        org.junit.jupiter.api.Assertions.assertEquals(n,
                mapper().pmap(f, dev.parkit.Par.range(n), dev.parkit.Par.options().workers(WORKERS)).size());
        fail.set(true);
        for (int round = 0; round < 2; round++) {
            started.set(0);
            dev.parkit.ParException e = org.junit.jupiter.api.Assertions.assertThrows(dev.parkit.ParException.class,
                    () -> mapper().pmap(f, dev.parkit.Par.range(n), dev.parkit.Par.options().workers(WORKERS)));
            int atReturn = started.get();
            org.junit.jupiter.api.Assertions.assertEquals(n / 2, e.index());
            org.junit.jupiter.api.Assertions.assertInstanceOf(IllegalStateException.class, e.getCause());
            org.junit.jupiter.api.Assertions.assertEquals("boom", e.getCause().getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(atReturn < n, "the failure cancelled nothing: " + atReturn
                    + " of " + n + " items started");
            org.awaitility.Awaitility.await().during(GLANCE).atMost(QUIET_WITHIN).untilAsserted(
                    () -> org.junit.jupiter.api.Assertions.assertEquals(atReturn, started.get(),
                            "items started after the failed call returned"));
        }
    }

    /**
     * On a cluster a stopped call names the slice that was still running, from its first item not
     * yet reported ended (the driver does not know which of a running slice's items is running,
     * and executors report items' ends with their heartbeats), so from the stuck item or an
     * earlier one of its slice.
     */
    @Override
    public boolean namesTheItemStillRunning(String message, int item) {
        return message.contains("item " + item + " was still running")
                || message.matches("(?s).*items [0-" + item + "] to \\d+ \\(sent elsewhere\\) had not ended.*");
    }

    /** The cluster, its functions passed by reference; its pmapCollect results retry through this view, on the cluster. */
    private static final class OnCluster extends ClusterView {
        OnCluster() {
            super("local[2] cluster");
        }

        @Override
        Mapper cluster() {
            return cluster;
        }

        @Override
        <T, R> ParFunction<T, R> sent(ParFunction<T, R> f) {
            return ByReference.of(f);
        }
    }

    /**
     * A function that travels as a number and is found again in this JVM's table: what Spark's
     * local executor runs is the test's own object, latches and counters included.
     */
    static final class ByReference<T, R> implements ParFunction<T, R> {
        private static final long serialVersionUID = 1L;
        static final Map<Long, ParFunction<?, ?>> FUNCTIONS = new ConcurrentHashMap<>();
        private static final AtomicLong IDS = new AtomicLong();

        private final long id;

        private ByReference(long id) {
            this.id = id;
        }

        static <T, R> ParFunction<T, R> of(ParFunction<T, R> f) {
            if (f == null) {
                return null;
            }
            long id = IDS.incrementAndGet();
            FUNCTIONS.put(id, f);
            return new ByReference<>(id);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(T x) throws Exception {
            return ((ParFunction<T, R>) FUNCTIONS.get(id)).apply(x);
        }
    }
}
