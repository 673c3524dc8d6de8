package dev.parkit.spark;

import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.spark.internal.ClusterMap;
import dev.parkit.spark.internal.KernelJars;
import dev.parkit.spark.internal.RemoteRun.OnFailure;
import dev.parkit.spark.internal.SentPackages;
import dev.parkit.spark.internal.TableItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A connection to a Spark cluster that runs ParKit's map calls on its executors: the same
 * {@code pmap}, {@code pimap}, {@code pimapUnordered} and {@code pmapCollect} as
 * {@link dev.parkit.Par}, with the same ordering, failure and interrupt rules (read Par's class
 * doc), so moving a call to the cluster is the one change {@code pmap(f, xs)} to
 * {@code cluster.pmap(f, xs)}. Get one from {@link Spark#spark(String)}; close it to stop its
 * Spark application.
 *
 * <pre>{@code
 * try (var cluster = spark("spark://127.0.0.1:7077")) {
 *     cluster.pmap(x -> x * k, range(100));                 // k: a variable of an earlier cell
 *     cluster.pmap(p -> slow(p), points, options().progress("slow"));
 * }
 * }</pre>
 *
 * <p><b>What travels.</b> Each call packs the function with the classes of the notebook cells it
 * reaches and the current values of the top-level variables it reads, so the executors run what
 * the cells say now; a value that cannot be serialized fails the call before any job starts,
 * naming it. A package travels once per cluster (a Spark broadcast, kept per content hash): a
 * call whose package is the same as an earlier one's sends none. Items and results travel by Java serialization too, and must be
 * {@link java.io.Serializable}: a Tablesaw {@code Table} or its {@code Row}s are refused with
 * {@link IllegalArgumentException} before anything is sent, saying what to send instead (a
 * column's values, or a record per row). The items are read into a list on the calling thread
 * first. The jars the kernel has loaded (its class path, {@code %classpath}, {@code %maven}) are
 * added to the Spark application on first use, except Spark's own.
 *
 * <p><b>Options.</b> {@code chunkSize} is the number of items per Spark task (default: four tasks
 * per executor core); {@code progress} draws the same bar as local calls, advanced as tasks
 * finish. A per-item {@code timeout} works as locally: an item over it fails with a
 * {@link java.util.concurrent.TimeoutException} and its executor thread is interrupted (then, if it
 * ignores that for 100 ms, left to finish on its own while the slice goes on). {@code workers} and
 * {@code io} have no effect here: the executors' cores are set in the
 * {@link org.apache.spark.SparkConf}.
 *
 * <p><b>Failures and interrupts.</b> If the function throws, the call throws
 * {@link dev.parkit.ParException} naming the item's index and value, with the executor's
 * exception (or a {@link RemoteException} standing in for one that cannot be serialized) as its
 * cause, and cancels the rest as local calls do, as soon as the failure reaches this machine:
 * {@code pmap} and {@code pimapUnordered} every other item, {@code pimap} the items after it (the
 * earlier ones run on and are delivered first). Interrupting the calling thread cancels the job's tasks and throws
 * {@link java.util.concurrent.CancellationException} with the interrupt status set. A failure of
 * Spark itself (a lost executor, a task failing on every try) throws
 * {@link IllegalStateException} with Spark's exception as cause.
 *
 * <p><b>Threading.</b> Calls may come from several threads; each runs as its own Spark job (a
 * {@code pimap} as one job per slice, so that a failure can cancel only the later ones).
 */
public final class SparkCluster implements AutoCloseable {
    private final JavaSparkContext spark;
    private final Set<String> jvms = new ConcurrentSkipListSet<>();
    private final Set<String> shippedJars = ConcurrentHashMap.newKeySet();
    private final SentPackages sent;

    SparkCluster(JavaSparkContext spark) {
        this.spark = spark;
        this.sent = new SentPackages(spark);
    }

    /**
     * Applies {@code f} to every item on the cluster; the results in input order.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the function, a value it uses or an item cannot be
     *     serialized, naming which
     * @throws dev.parkit.ParException if an item fails (the job is cancelled)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, dev.parkit.Par.options());
    }

    /**
     * As {@link #pmap(ParFunction, Iterable)}, with options.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        List<T> items = list(f, xs, options);
        return ClusterMap.<T, R>start(spark, sent, f, items, options, OnFailure.STOP_ALL, jvms, "pmap").all();
    }

    /**
     * Maps every item and collects the failures instead of stopping at the first.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the values in input order (null where an item failed) and the failures by index
     */
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmapCollect(f, xs, dev.parkit.Par.options());
    }

    /**
     * As {@link #pmapCollect(ParFunction, Iterable)}, with options.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the values and the failures
     */
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        List<T> items = list(f, xs, options);
        return ClusterMap.<T, R>start(spark, sent, f, items, options, OnFailure.GO_ON, jvms, "pmapCollect").collect();
    }

    /**
     * The results lazily, in input order, as the cluster's tasks finish; a failure is thrown at
     * its position, after every earlier result. Closing the stream cancels the job.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, dev.parkit.Par.options());
    }

    /**
     * As {@link #pimap(ParFunction, Iterable)}, with options.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        List<T> items = list(f, xs, options);
        return ClusterMap.<T, R>start(spark, sent, f, items, options, OnFailure.STOP_AFTER, jvms, "pimap").stream(true);
    }

    /**
     * The results lazily, in the order the cluster's tasks finish.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, dev.parkit.Par.options());
    }

    /**
     * As {@link #pimapUnordered(ParFunction, Iterable)}, with options.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        List<T> items = list(f, xs, options);
        return ClusterMap.<T, R>start(spark, sent, f, items, options, OnFailure.STOP_ALL, jvms, "pimapUnordered")
                .stream(false);
    }

    // ---- streams and arrays, as in Par: read into a list on the calling thread first ----

    /**
     * As {@link #pmap(ParFunction, Iterable)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmap(f, listOf(xs), dev.parkit.Par.options());
    }

    /**
     * As {@link #pmap(ParFunction, Iterable, Options)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return pmap(f, listOf(xs), options);
    }

    /**
     * As {@link #pmap(ParFunction, Iterable)}, over an array.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, T[] xs) {
        return pmap(f, java.util.Arrays.asList(Objects.requireNonNull(xs, "xs must not be null")));
    }

    /**
     * As {@link #pimap(ParFunction, Iterable)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimap(f, listOf(xs), dev.parkit.Par.options());
    }

    /**
     * As {@link #pimap(ParFunction, Iterable, Options)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return pimap(f, listOf(xs), options);
    }

    /**
     * As {@link #pimapUnordered(ParFunction, Iterable)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimapUnordered(f, listOf(xs), dev.parkit.Par.options());
    }

    /**
     * As {@link #pimapUnordered(ParFunction, Iterable, Options)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return pimapUnordered(f, listOf(xs), options);
    }

    private static <T> List<T> listOf(Stream<? extends T> xs) {
        Objects.requireNonNull(xs, "xs must not be null");
        List<T> items = new ArrayList<>();
        xs.forEachOrdered(items::add);
        return items;
    }

    /**
     * The executor JVMs that have run items of this cluster's calls so far.
     *
     * @return their names, {@code pid@host}, sorted
     */
    public Set<String> workerJvms() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(jvms));
    }

    /** @return the Spark context, for anything ParKit does not cover */
    public JavaSparkContext sparkContext() {
        return spark;
    }

    /** @return the master URL */
    public String master() {
        return spark.master();
    }

    /** Stops the Spark application (its executors exit); the cluster itself keeps running. */
    @Override
    public void close() {
        spark.stop();
    }

    @Override
    public String toString() {
        return "SparkCluster[" + spark.master() + ", app " + spark.sc().applicationId() + "]";
    }

    private <T> List<T> list(ParFunction<?, ?> f, Iterable<? extends T> xs, Options options) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(options, "options must not be null");
        TableItems.refuseTable(xs);
        Displays.flush(); // an interrupted cell's last progress drawing, if the kernel dropped it
        List<T> items = new ArrayList<>();
        xs.forEach(items::add);
        TableItems.refuseRows(items);
        if (f.getClass().getClassLoader() != null) {
            KernelJars.ship(spark, f.getClass().getClassLoader(), shippedJars);
        }
        return items;
    }
}
