package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.ParFunction;
import dev.parkit.spark.Spark;
import dev.parkit.spark.SparkCluster;
import dev.parkit.spark.testing.StandaloneCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against a real Spark standalone cluster, for the driver-in-kernel backend:
 * this JVM is the driver, and items run in executor JVMs that a worker started, so the contracts'
 * functions travel as copies, by Java serialization, as a notebook's do. A cluster is one
 * application per JVM, so the mapper under test is one cluster for every test, seen through a
 * view that cannot be closed (as in {@link SparkLocalContractTest}), and the suite's tests of
 * closing a mapper skip themselves. Contracts whose items and test meet through objects of this JVM
 * cannot hold when items run elsewhere, and one holds but is too slow for the suite's bound: each is
 * named in notKept() with why, and listed in the README's Spark section. Every
 * other contract runs.
 */
class SparkStandaloneContractTest extends MapperContract {
    // Why a contract is skipped on a standalone cluster; each skipped contract below names one.
    /** The function travels, but what its items record lands in copies. */
    static final String COPIES = "its items record what they do in objects of the test's JVM (counters, sets, lists),"
            + " which travel with the function to the executor JVMs as serialized copies: the test never sees"
            + " what the items recorded";
    /** The function captures what cannot travel, and SparkCluster refuses it, as it must. */
    static final String UNSENDABLE = "its function captures a latch, barrier, thread or probe of the test's JVM, which"
            + " cannot be serialized: SparkCluster refuses it with an IllegalArgumentException naming the value,"
            + " before any job starts, as it does a notebook's function that captures one";
    /** A Spark job per slice costs about 25 ms on executors of their own. */
    static final String JOBS = "it holds but takes about 140 s, past the suite's bound of 60 s: chunkSize(1) and"
            + " chunkSize(3) over 2,000 items, four calls each, are about 10,800 Spark jobs, each about 25 ms on a"
            + " 2-core machine, 2 at once (measured: 136.6 s; order with chunk sizes on a cluster:"
            + " SparkClusterTest.shouldKeepInputOrder, on local[2])";

    private static StandaloneCluster standalone;
    private static SparkCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        standalone = StandaloneCluster.start();
        // What the contracts' lambdas need on the executors: ParKit (whose classes a test run
        // has in directories, which Spark cannot ship), the toolkit's test classes and the test
        // libraries they name. A kernel's jars reach executors by KernelJars; a test JVM's class
        // path is not a URLClassLoader's.
        List<String> jars = new ArrayList<>();
        for (Class<?> c : List.of(Spark.class, ParFunction.class, MapperContract.class,
                org.junit.jupiter.api.Assertions.class, org.opentest4j.AssertionFailedError.class,
                org.awaitility.Awaitility.class)) {
            jars.add(jarOf(c).toString());
        }
        cluster = Spark.spark(new SparkConf().setMaster(standalone.url).set("spark.jars", String.join(",", jars)));
    }

    /** Also after a failed {@link #start()} (JUnit runs it then too): the cluster stops whatever happened. */
    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            cluster = null;
            if (standalone != null) {
                standalone.close();
                standalone = null;
            }
        }
    }

    @Override
    protected Mapper newMapper() {
        return new Unwrapped();
    }

    /** The contracts this mapper cannot keep, by name, and why: skipped with that reason ({@link MapperContract#notKept}). */
    @Override
    protected Map<String, String> notKept() {
        return Map.ofEntries(
                Map.entry("shouldRunNoMoreItemsAtOnceThanWorkers", UNSENDABLE),
                Map.entry("shouldRunAsManyItemsAtOnceAsWorkers", UNSENDABLE),
                Map.entry("shouldNeverRunItemsOnTheCallingThread", UNSENDABLE),
                Map.entry("shouldNotLetAFunctionInheritTheTinyCostOfAnotherOfItsClass", UNSENDABLE),
                Map.entry("shouldCancelTheRestWhenAnItemFailsInPmap", UNSENDABLE),
                Map.entry("shouldCancelTheRestWhenAnItemFailsInPmapOfAFunctionItHasRunBefore", UNSENDABLE),
                Map.entry("shouldGiveResultsInCompletionOrderInPimapUnordered", UNSENDABLE),
                Map.entry("shouldReturnFromPmapCollectWhileTimedOutItemsIgnoreTheirInterrupts", UNSENDABLE),
                Map.entry("shouldReturnFromRetryWhileATimedOutItemIgnoresItsInterrupt", UNSENDABLE),
                Map.entry("shouldStartNoNewItemsOnceAPimapStreamIsClosed", UNSENDABLE),
                Map.entry("shouldEndTheBarOfAStreamClosedEarly", UNSENDABLE),
                Map.entry("shouldThrowCancellationWithTheFlagSetWhenInterruptedDuringASleepingItem", UNSENDABLE),
                Map.entry("shouldThrowCancellationNotCollectAFailureWhenPmapCollectIsInterrupted", UNSENDABLE),
                Map.entry("shouldReturnWithinAboutASecondWhileAnInterruptedItemIgnoresIt", UNSENDABLE),
                Map.entry("shouldStartNoItemAfterTheInterruptWhileAnItemIgnoresIt", UNSENDABLE),
                Map.entry("shouldCancelPimapWhenItsConsumerIsInterruptedWhileAnItemIgnoresIt", UNSENDABLE),
                Map.entry("shouldRunTheNextCallAtFullParallelismAfterStuckItems", UNSENDABLE),
                Map.entry("shouldKeepAnItemTheSourceCouldNotReadAFailureWithItsErrorAndIndexOnRetry", COPIES),
                Map.entry("shouldStopALazyCallWhoseConsumerIsInterruptedWhileResultsAreReady", COPIES),
                Map.entry("shouldRetryWhereTheCallRan",
                        COPIES + " (it records the names of the pools that ran the call and the retry; that a"
                        + " retry runs on the cluster is checked by every pmapCollect here: see Unwrapped)"),
                // SparkLocalContractTest's version (an equal copy of the cause) would pass here with its
                // counter of started items at 0 whatever ran: a test that cannot fail.
                Map.entry("shouldStartNoItemOnceAFailedCallHasReturned",
                        COPIES + " (its counter of started items; the cause, an equal copy from the executor,"
                        + " is checked by shouldNameTheFailingItemAndKeepItsCause)"),
                Map.entry("shouldRunItemsSideBySideWhenTheyTurnSlowAfterBeingTiny",
                        SparkLocalContractTest.SLICES + "; and here " + UNSENDABLE),
                Map.entry("shouldKeepOrderWithAnyChunkSize", JOBS));
    }

    /** The jar that holds {@code c}'s class file: its own, or one made of its class directory. */
    private static Path jarOf(Class<?> c) throws IOException, URISyntaxException {
        Path source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(source)) {
            return source;
        }
        // e.g. toolkit/target/test-classes -> target/contract-jars/toolkit-test-classes.jar
        Path jar = Path.of("target", "contract-jars", source.getParent().getParent().getFileName() + "-"
                + source.getFileName() + ".jar").toAbsolutePath();
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(source.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return jar;
    }

    /**
     * The cluster, given each call's function as the contract wrote it. {@link Fresh} wraps every
     * function in an object of a hidden class (so that what ParKit learned of one run's functions
     * does not steer the next), and a hidden class has no name an executor can load; a notebook's
     * function is a lambda, which Java serializes by its capturing class. Results name this view,
     * so a retry goes through it to the same cluster.
     */
    private static final class Unwrapped extends ClusterView {
        Unwrapped() {
            super("standalone cluster");
        }

        @Override
        Mapper cluster() {
            return cluster;
        }

        @Override
        <T, R> ParFunction<T, R> sent(ParFunction<T, R> f) {
            return unwrapped(f);
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
