package dev.parkit.spark.connect;

import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.calls.Calls;
import dev.parkit.internal.ChunkTask;
import dev.parkit.internal.Engine;
import dev.parkit.spark.connect.internal.Artifacts;
import dev.parkit.spark.connect.internal.ConnectTask;
import dev.parkit.spark.internal.Packager;
import dev.parkit.spark.internal.SliceCosts;
import dev.parkit.spark.internal.SnippetClasses;
import dev.parkit.spark.internal.TableItems;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * artifacts, once per session. Items are read as the call goes, as locally; the classes of cells
 * they are of travel with their chunk's package.
 *
 * <p><b>How it runs.</b> A call is an ordinary ParKit call (the same claims, ordering, lazy
 * read-ahead, failure policy, messages and progress bar as {@link dev.parkit.Par}'s) whose chunks
 * run on the cluster: each chunk is one Spark Connect operation,
 * {@code spark.range(0, 1, 1, 1).mapPartitions(task, Encoders.BINARY())} (one Spark task, no
 * shuffle), with the chunk's items inside the task. The function is packed once, when the call
 * starts.
 *
 * <p><b>Options.</b> {@code workers} is how many chunks (operations) run at once, by default the
 * cores of the server's application ({@code spark.cores.max}, else
 * {@code spark.default.parallelism}, else 2). {@code chunkSize} is the number of items per
 * operation; by default chunks start at one item and grow, as their round trips are measured,
 * towards about a second each (a warm operation costs about 0.1 s). A per-item {@code timeout}
 * is enforced on the executors. {@code progress} draws the same bar as local calls; it moves as
 * chunks end (Spark Connect reports progress by tasks, and a chunk is one task).
 *
 * <p><b>Failures and interrupts.</b> If the function throws, the call throws
 * {@link dev.parkit.ParException} naming the item's index and value, with the executor's exception
 * (or a {@link dev.parkit.spark.RemoteException} standing in for one that cannot be serialized) as
 * its cause, and interrupts the chunks still running on the server. Interrupting the calling
 * thread interrupts them on the server (Spark Connect's {@code interruptTag}: their tasks are
 * killed, and the call waits, at most ten seconds, until the server has ended them, so no item
 * starts afterwards) and throws {@link java.util.concurrent.CancellationException} with the
 * interrupt status set. When a chunk cannot run at all (the server went away) each of its items
 * fails with Spark's exception. {@link MapResult#retry} of a {@link #pmapCollect} result runs on
 * the cluster again.
 *
 * <p><b>Threading.</b> Calls may come from several threads at once; each runs its own operations.
 */
public final class ConnectCluster implements Mapper, AutoCloseable {
    /** At most this many operations of one session at once, whatever {@code workers} asks. */
    static final int MAX_OPERATIONS = 64;
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final SparkSession spark;
    private final String url;
    private final int cores;
    private final Artifacts artifacts;
    private final Set<String> jvms = new ConcurrentSkipListSet<>();
    /** What this session's chunks cost, per function class: a warm call of a collection is planned from it. */
    private final SliceCosts costs = new SliceCosts();
    /** The calls' runners: threads that only wait on operations. */
    private final Engine runners = new Engine(MAX_OPERATIONS, true, null);
    /** Where operations run and hold their tags (Spark Connect's tags are per thread). */
    private final ExecutorService operations;
    private volatile boolean closed;

    ConnectCluster(SparkSession spark, String url, int cores) {
        this.spark = spark;
        this.url = url;
        this.cores = cores;
        this.artifacts = new Artifacts(spark);
        int session = SESSIONS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        // As the engine's workers: a thread exits after a second idle.
        this.operations = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "parkit-connect-" + session + "-op-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // ParKit on the executors: the toolkit (ParFunction, the engine SliceRun uses), parkit-spark
        // (the task package, SliceRun) and this module (the task).
        artifacts.sendOrigins(List.of(Par.class, SnippetClasses.class, ConnectCluster.class));
    }

    /**
     * Applies {@code f} to every item on the cluster; the results in input order.
     *
     * @param f the function
     * @param xs the items
     * @param options workers (operations at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the function, a value it uses or an item cannot be
     *     serialized, naming which
     * @throws dev.parkit.ParException if an item fails (the operations still running are interrupted)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        check(f, xs, options);
        return Calls.all("pmap", () -> target(options), task(f, options, true, true), Calls.source(xs), options);
    }

    /**
     * Maps every item and collects the failures instead of stopping at the first;
     * {@link MapResult#retry} runs the failed items on the cluster again.
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the values in input order (null where an item failed) and the failures by index
     */
    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        check(f, xs, options);
        return Calls.collect(this, "pmapCollect", () -> target(options), task(f, options, false, true),
                Calls.source(xs), options);
    }

    /**
     * The results lazily, in input order, as chunks arrive; a failure is thrown at its position,
     * after every earlier result. Closing the stream interrupts the operations still running.
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        check(f, xs, options);
        return Calls.lazy("pimap", () -> target(options), task(f, options, true, false), Calls.source(xs), options,
                true);
    }

    /**
     * The results lazily, in the order chunks arrive.
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in arrival order
     */
    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        check(f, xs, options);
        return Calls.lazy("pimapUnordered", () -> target(options), task(f, options, true, false), Calls.source(xs),
                options, false);
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

    /** @return the cores of the server's application: how many operations a call runs at once by default */
    public int cores() {
        return cores;
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
                runners.close(); // cancels calls still running: their operations are interrupted
                operations.shutdownNow(); // an operation the server never ended stops retrying to reattach
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

    /** As many operations at once as the options' workers, else the cluster's cores. */
    private Calls.Target target(Options options) {
        int workers = options.workers() > 0 ? options.workers() : cores;
        return new Calls.Target(runners, Math.min(workers, MAX_OPERATIONS));
    }

    /**
     * The call's chunk task, with the function packed now: one that cannot travel fails before any
     * operation. A {@code pmap} or {@code pmapCollect} ({@code plannedAtOnce}) plans its chunks from
     * what this session measured of the function's items, as a driver kernel's cluster does; a lazy
     * call does not, as its consumer may stop early.
     */
    private ChunkTask task(ParFunction<?, ?> f, Options options, boolean stopAtFirstFailure, boolean plannedAtOnce) {
        return new ConnectTask(spark, operations, f, Packager.pack(f, null), stopAtFirstFailure,
                options.timeoutNanos(), jvms, costs, plannedAtOnce);
    }

    /** Checks a call's arguments, and sends the jars its function comes from. */
    private void check(ParFunction<?, ?> f, Iterable<?> xs, Options options) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (closed) {
            throw new IllegalStateException("this Spark Connect session is closed; connect(\"" + url
                    + "\") opens a new one");
        }
        TableItems.refuseTable(xs);
        if (Thread.currentThread().isInterrupted()) {
            return; // the call is cancelled before any item starts: nothing to send (a send would throw)
        }
        Class<?> fc = f.getClass();
        if (!SnippetClasses.isSnippet(fc.getName())) {
            artifacts.sendOrigins(List.of(fc)); // a function compiled into a jar or class folder
        }
        if (fc.getClassLoader() != null) {
            artifacts.sendJarsOf(fc.getClassLoader());
        }
    }
}
