package dev.parkit.contract;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.ParFunction;
import dev.parkit.spark.connect.ConnectCluster;
import dev.parkit.spark.connect.ConnectServer;
import dev.parkit.spark.connect.SparkConnect;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite over a real Spark Connect server on a real standalone cluster: each test gets
 * a new session ({@link SparkConnect#connect}), closed after it, and its items run in executor
 * JVMs. Contracts whose items coordinate with the test through objects of this JVM (latches,
 * counters, a blocked source) cannot hold there, since an item works on a deserialized copy: each
 * is named in notKept() with why, and listed in the README's Spark Connect section.
 */
class ConnectContractTest extends MapperContract {
    private static ConnectServer server;

    // Why a contract cannot hold over Spark Connect; each skipped contract below names one.
    /** Items and test meet through objects of this JVM, and an executor's item has a copy. */
    static final String COPIES = "its items and the test meet through objects of the test's JVM (latches, counters, "
            + "lists); an item on an executor works on a deserialized copy, so they never meet";
    /** What the interrupt contracts check is checked over Connect by executor evidence. */
    static final String INTERRUPTS = " (ConnectClusterTest.shouldCancelTheOperationOnTheServerWhenInterrupted checks "
            + "the interrupt over Connect by markers the items write on the shared disk)";
    /** The function captures what cannot travel, and ConnectCluster refuses it, as it must. */
    static final String UNSENDABLE = "its function captures a latch, barrier, thread or probe of the test's JVM, which "
            + "cannot be serialized: ConnectCluster refuses it, naming the value, before any operation starts";
    /** A Connect operation per chunk costs about 0.1 s. */
    static final String OPERATIONS = "it makes thousands of chunks (chunkSize(1) over 2,000 items, or 40 calls at once "
            + "whose chunks start at one item), each a Spark Connect operation of about 0.1 s: past the test's bound "
            + "on a 2-core machine (order with chunk sizes: ConnectClusterTest.shouldKeepInputOrder)";

    @BeforeAll
    static void startServer() throws Exception {
        server = ConnectServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Mapper newMapper() {
        ConnectCluster cluster = SparkConnect.connect(server.url);
        // What the contracts' lambdas need on the executors besides ParKit: their classes' jar
        // (the toolkit's tests) and the test libraries those classes name. A kernel sends the
        // jars of its class path this way; a test JVM's class path is not a URLClassLoader's.
        for (Class<?> c : List.of(MapperContract.class, org.junit.jupiter.api.Assertions.class,
                org.opentest4j.AssertionFailedError.class, org.awaitility.Awaitility.class)) {
            try {
                cluster.session().addArtifact(java.nio.file.Path.of(
                        c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Sendable(cluster);
    }

    /** The contracts this mapper cannot keep, by name, and why: skipped with that reason ({@link MapperContract#notKept}). */
    @Override
    protected Map<String, String> notKept() {
        return Map.ofEntries(
                Map.entry("shouldRunNoMoreItemsAtOnceThanWorkers", COPIES),
                Map.entry("shouldRunTheNextCallAtFullParallelismAfterStuckItems", COPIES),
                Map.entry("shouldThrowCancellationWithTheFlagSetWhenInterruptedDuringASleepingItem",
                        COPIES + INTERRUPTS),
                Map.entry("shouldThrowCancellationNotCollectAFailureWhenPmapCollectIsInterrupted", COPIES + INTERRUPTS),
                Map.entry("shouldReturnWithinAboutASecondWhileAnInterruptedItemIgnoresIt", COPIES + INTERRUPTS),
                Map.entry("shouldStartNoItemAfterTheInterruptWhileAnItemIgnoresIt", COPIES + INTERRUPTS),
                Map.entry("shouldCancelPimapWhenItsConsumerIsInterruptedWhileAnItemIgnoresIt", COPIES + INTERRUPTS),
                Map.entry("shouldStartNoItemAfterCloseReturns", COPIES + INTERRUPTS),
                Map.entry("shouldKeepAnItemTheSourceCouldNotReadAFailureWithItsErrorAndIndexOnRetry", COPIES),
                Map.entry("shouldStopALazyCallWhoseConsumerIsInterruptedWhileResultsAreReady", COPIES),
                Map.entry("shouldRetryWhereTheCallRan",
                        COPIES + " (it records this JVM's pool names; ConnectClusterTest.shouldRetryTheFailedItemsOnTheCluster checks that a retry runs in executor JVMs)"),
                Map.entry("shouldStartNoItemOnceAFailedCallHasReturned",
                        "it checks that the item's own exception object is the cause; over Connect the cause is a deserialized copy (equal message and trace, another object), and its started/ended counters are copies too"),
                Map.entry("shouldGiveResultsInCompletionOrderInPimapUnordered", UNSENDABLE),
                Map.entry("shouldRunItemsSideBySideWhenTheyTurnSlowAfterBeingTiny", UNSENDABLE),
                Map.entry("shouldRunAsManyItemsAtOnceAsWorkers", UNSENDABLE),
                Map.entry("shouldNeverRunItemsOnTheCallingThread", UNSENDABLE),
                Map.entry("shouldNotLetAFunctionInheritTheTinyCostOfAnotherOfItsClass", UNSENDABLE),
                Map.entry("shouldCancelTheRestWhenAnItemFailsInPmap", UNSENDABLE),
                Map.entry("shouldCancelTheRestWhenAnItemFailsInPmapOfAFunctionItHasRunBefore", UNSENDABLE),
                Map.entry("shouldReturnFromPmapCollectWhileTimedOutItemsIgnoreTheirInterrupts", UNSENDABLE),
                Map.entry("shouldReturnFromRetryWhileATimedOutItemIgnoresItsInterrupt", UNSENDABLE),
                Map.entry("shouldStartNoNewItemsOnceAPimapStreamIsClosed", UNSENDABLE),
                Map.entry("shouldEndTheBarOfAStreamClosedEarly", UNSENDABLE),
                Map.entry("shouldKeepOrderWithAnyChunkSize", OPERATIONS),
                Map.entry("shouldServeSeveralCallingThreadsAtOnce", OPERATIONS));
    }

    /**
     * The session, given each call's function as the contract wrote it. {@link Fresh} wraps every
     * function in an object of a hidden class (so that what ParKit learned of one run's functions
     * does not steer the next), and a hidden class has no name another JVM can load: a notebook's
     * function is a lambda, which Java serializes by its capturing class. A chunk that runs
     * elsewhere starts at one item whatever was learned, so the wrapper's point does not arise.
     * Results name this mapper, so a retry goes through it to the same session.
     */
    static final class Sendable implements Mapper, AutoCloseable {
        private final ConnectCluster cluster;

        Sendable(ConnectCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
            return cluster.pmap(unwrapped(f), xs, options);
        }

        @Override
        public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return cluster.pimap(unwrapped(f), xs, options);
        }

        @Override
        public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            return cluster.pimapUnordered(unwrapped(f), xs, options);
        }

        @Override
        public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
                Options options) {
            MapResult<T, R> r = cluster.pmapCollect(unwrapped(f), xs, options);
            return new MapResult<>(r.values(), r.failures(), this);
        }

        @Override
        public void close() {
            cluster.close();
        }

        @SuppressWarnings("unchecked")
        private static <T, R> ParFunction<T, R> unwrapped(ParFunction<T, R> f) {
            if (f == null || !f.getClass().isHidden() || !f.getClass().getName().startsWith(Forwarder.class.getName())) {
                return f;
            }
            try {
                Field inner = f.getClass().getDeclaredField("f");
                inner.setAccessible(true);
                return unwrapped((ParFunction<T, R>) inner.get(f));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the function inside " + f, e);
            }
        }
    }
}
