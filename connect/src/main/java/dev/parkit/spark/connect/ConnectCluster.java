package dev.parkit.spark.connect;

import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.spark.connect.internal.Artifacts;
import dev.parkit.spark.connect.internal.ConnectMap;
import dev.parkit.spark.connect.internal.ItemCosts;
import dev.parkit.spark.internal.SnippetClasses;
import dev.parkit.spark.internal.TableItems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark Connect session that runs ParKit's map calls on a remote cluster's executors: the same
 * {@code pmap}, {@code pimap}, {@code pimapUnordered} and {@code pmapCollect}, with the same
 * signatures, as {@link dev.parkit.spark.SparkCluster} and {@link dev.parkit.Par}, and the same
 * ordering, failure and interrupt rules (read Par's class doc). Get one from
 * {@link SparkConnect#connect(String)}; close it to end the session.
 *
 * <pre>{@code
 * var cluster = connect("sc://127.0.0.1:15002");
 * cluster.pmap(x -> x * k, range(100));                 // k: a variable of an earlier cell
 * }</pre>
 *
 * <p><b>What travels.</b> As with the driver in the kernel: each call sends the function with the
 * classes of the notebook cells it reaches and the current values of the top-level variables it
 * reads, in one content-addressed task package; items and results travel by Java serialization
 * and must be {@link java.io.Serializable}. ParKit's jars, and the jars the function's classes
 * come from (the kernel's class path, {@code %classpath}), reach the server as Spark Connect
 * artifacts, once per session. The items are read into a list on the calling thread first.
 *
 * <p><b>How it runs.</b> One Spark Connect operation per call,
 * {@code spark.range(0, slices, 1, slices).mapPartitions(task, Encoders.BINARY())}: one task per
 * slice, no shuffle; the slices ride inside the task. Results stream back slice by slice and are
 * placed by slice number, whatever order they come in.
 *
 * <p><b>Options.</b> {@code chunkSize} is the number of items per slice (one Spark task); by
 * default four slices per core of the server's application ({@code spark.cores.max}, else
 * {@code spark.default.parallelism}, else 2) for a function not run before; later calls of the
 * same function aim at about 100 ms of its measured work per slice (one slice per Spark task,
 * which costs tens of milliseconds however small its work), between one slice and four per core.
 * {@code progress} draws the same bar as local calls, advanced as slices arrive.
 * {@code workers} and {@code io} have no effect; a per-item {@code timeout} is not supported and
 * throws {@link UnsupportedOperationException}.
 *
 * <p><b>Failures and interrupts.</b> If the function throws, the call throws
 * {@link dev.parkit.ParException} naming the item's index and value, with the executor's exception
 * (or a {@link dev.parkit.spark.RemoteException} standing in for one that cannot be serialized) as
 * its cause, and interrupts the operation on the server. Interrupting the calling thread
 * interrupts the operation on the server (Spark Connect's {@code interruptTag}: its tasks are
 * killed, no further item starts) and throws {@link java.util.concurrent.CancellationException}
 * with the interrupt status set. A failure of Spark itself throws {@link IllegalStateException}
 * with Spark's exception as cause.
 *
 * <p><b>Threading.</b> Calls may come from several threads; each is its own operation.
 */
public final class ConnectCluster implements AutoCloseable {
    private final SparkSession spark;
    private final String url;
    private final int cores;
    private final Artifacts artifacts;
    private final Set<String> jvms = new ConcurrentSkipListSet<>();
    private final ItemCosts costs = new ItemCosts();
    private volatile boolean closed;

    ConnectCluster(SparkSession spark, String url, int cores) {
        this.spark = spark;
        this.url = url;
        this.cores = cores;
        this.artifacts = new Artifacts(spark);
        // ParKit on the executors: the toolkit (ParFunction, Failure), parkit-spark (the task
        // package) and this module (the task).
        artifacts.sendOrigins(List.of(Par.class, SnippetClasses.class, ConnectCluster.class));
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
     * @throws dev.parkit.ParException if an item fails (the operation is interrupted)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, Par.options());
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
        if (items.isEmpty()) {
            return new ArrayList<>();
        }
        return ConnectMap.<T, R>start(spark, cores, costs, f, items, options, true, jvms).all();
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
        return pmapCollect(f, xs, Par.options());
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
        if (items.isEmpty()) {
            return new MapResult<>(new ArrayList<>(), List.of());
        }
        return ConnectMap.<T, R>start(spark, cores, costs, f, items, options, false, jvms).collect();
    }

    /**
     * The results lazily, in input order, as slices arrive; a failure is thrown at its position,
     * after every earlier result. Closing the stream interrupts the operation.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, Par.options());
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
        if (items.isEmpty()) {
            return Stream.empty();
        }
        return ConnectMap.<T, R>start(spark, cores, costs, f, items, options, true, jvms).stream(true);
    }

    /**
     * The results lazily, in the order slices arrive.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in arrival order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, Par.options());
    }

    /**
     * As {@link #pimapUnordered(ParFunction, Iterable)}, with options.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in arrival order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        List<T> items = list(f, xs, options);
        if (items.isEmpty()) {
            return Stream.empty();
        }
        return ConnectMap.<T, R>start(spark, cores, costs, f, items, options, true, jvms).stream(false);
    }

    // ---- streams and arrays, as in SparkCluster: read into a list on the calling thread first ----

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
        return pmap(f, listOf(xs), Par.options());
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
        return pmap(f, Arrays.asList(Objects.requireNonNull(xs, "xs must not be null")));
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
        return pimap(f, listOf(xs), Par.options());
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
     * @return the results, in arrival order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimapUnordered(f, listOf(xs), Par.options());
    }

    /**
     * As {@link #pimapUnordered(ParFunction, Iterable, Options)}, over a stream.
     *
     * @param f the function
     * @param xs the items
     * @param options chunk size, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in arrival order
     */
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return pimapUnordered(f, listOf(xs), options);
    }

    /**
     * The executor JVMs that have run items of this session's calls so far.
     *
     * @return their names, {@code pid@host}, sorted
     */
    public Set<String> workerJvms() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(jvms));
    }

    /** @return the Spark Connect session, for anything ParKit does not cover (DataFrames, SQL) */
    public SparkSession session() {
        return spark;
    }

    /** @return the Spark Connect URL, {@code sc://host:port} */
    public String url() {
        return url;
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    /** Ends the Spark Connect session; the server and its cluster keep running. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SparkConnect.forget(this);
            try {
                spark.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("closing the Spark Connect session failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "ConnectCluster[" + url + (closed ? ", closed" : "") + "]";
    }

    private static <T> List<T> listOf(Stream<? extends T> xs) {
        Objects.requireNonNull(xs, "xs must not be null");
        List<T> items = new ArrayList<>();
        xs.forEachOrdered(items::add);
        return items;
    }

    private <T> List<T> list(ParFunction<?, ?> f, Iterable<? extends T> xs, Options options) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (closed) {
            throw new IllegalStateException("this Spark Connect session is closed; connect(\"" + url
                    + "\") opens a new one");
        }
        TableItems.refuseTable(xs);
        Displays.flush(); // an interrupted cell's last progress drawing, if the kernel dropped it
        if (options.timeout() != null) {
            throw new UnsupportedOperationException("a per-item timeout is not supported over Spark Connect yet; "
                    + "remove .timeout(...) from the options");
        }
        List<T> items = new ArrayList<>();
        xs.forEach(items::add);
        TableItems.refuseRows(items);
        Class<?> fc = f.getClass();
        if (!SnippetClasses.isSnippet(fc.getName())) {
            artifacts.sendOrigins(List.of(fc)); // a function compiled into a jar or class folder
        }
        if (fc.getClassLoader() != null) {
            artifacts.sendJarsOf(fc.getClassLoader());
        }
        return items;
    }
}
