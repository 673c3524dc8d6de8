package dev.parkit.spark;

import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.ParFunction;
import dev.parkit.Mapper;
import dev.parkit.calls.Calls;
import dev.parkit.internal.Engine;
import dev.parkit.spark.internal.ClusterTask;
import dev.parkit.spark.internal.ExecutorPools;
import dev.parkit.spark.internal.SliceCosts;
import dev.parkit.spark.internal.SliceJobs;
import dev.parkit.spark.internal.KernelJars;
import dev.parkit.spark.internal.SentPackages;
import dev.parkit.spark.internal.TableItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
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
 * call whose package is the same as an earlier one's sends none. Items and results travel by Java
 * serialization too, and must be {@link java.io.Serializable}: an item that cannot be fails as
 * that item, naming its index. A Tablesaw {@code Table}, or a list or stream whose first item is
 * one of its {@code Row}s, is refused with {@link IllegalArgumentException} before anything
 * is sent, saying what to send instead (a column's values, or a record per row). The jars the
 * kernel has loaded (its class path, {@code %classpath}, {@code %maven}) are added to the Spark
 * application on first use, except Spark's own.
 *
 * <p><b>How it runs.</b> A cluster is a {@link Mapper} like a local pool, and its calls are local
 * calls whose chunks run elsewhere: each chunk is a slice of consecutive items that runs as one
 * Spark job of one task, and what comes back goes through the same delivery, failure and progress
 * rules as local items. The source is read lazily, in windows, as for local calls, so an infinite
 * stream works with {@code pimap}. Slices start at one item; once the call knows what an item costs
 * on the executors, slices of many cheap items ramp up (at most 64 items, then 512, ...), and the
 * rest is planned in whole rounds of equal slices of up to 8 s, one per worker, which end together
 * (of an unknown size: slices of about 8 s). A {@code pmap} or {@code pmapCollect} of a collection
 * of items of a function the cluster has run before skips the single items: it is planned at once
 * from what its items cost there (so {@code pmap} of 8 cheap items is 2 Spark jobs on 2 cores, not
 * 8), and ramps up over cheap items as a new function's call does, so a failure stops it as
 * promptly. On the executor a slice runs through ParKit's local engine.
 *
 * <p><b>Options.</b> {@code workers} is how many slices run at once (default: the cluster's
 * executor cores, {@code defaultParallelism}); {@code chunkSize} the items per slice;
 * {@code progress} draws the same bar as local calls, advanced per item while slices run (from
 * the executors' heartbeats, every second). A per-item {@code timeout} works as locally: an item
 * over it fails with a {@link java.util.concurrent.TimeoutException} and its executor thread is
 * interrupted (then, if it ignores that for 100 ms, left to finish on its own while the slice
 * goes on). {@code io} has no effect here.
 *
 * <p><b>Failures and interrupts</b> are as {@link Mapper} says, with two differences a cluster
 * brings. The cause of a failure is the executor's exception, or a {@link RemoteException}
 * standing in for one that cannot be serialized. An item that had started on an executor when the
 * call was cancelled may still run there until Spark has stopped its task; the call waits up to 2
 * s for Spark to report that. A failure of Spark itself (a lost executor, a task failing on every
 * try) fails the slice's items with {@link IllegalStateException}, Spark's exception as cause.
 * {@code MapResult.retry} of a cluster call runs on the cluster.
 *
 * <p><b>Per-worker state:</b> {@link #pool(ClusterPool.Init)}.
 *
 * <p><b>Threading.</b> Calls may come from several threads.
 */
public final class SparkCluster implements Mapper, AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicLong POOLS = new java.util.concurrent.atomic.AtomicLong();

    private final JavaSparkContext spark;
    private final Set<String> jvms = new ConcurrentSkipListSet<>();
    private final Set<String> shippedJars = ConcurrentHashMap.newKeySet();
    private final SentPackages sent;
    private final SliceJobs jobs;
    private final SliceCosts costs = new SliceCosts();
    /** The threads that wait for slices: virtual where available, at most {@link #maxWorkers()} at once. */
    private final Engine runners;
    private final Set<ClusterPool<?>> pools = ConcurrentHashMap.newKeySet();
    /** Cluster pools closed whose close job did not reach every executor: each slice carries them there. */
    private final Set<String> closedPools = ConcurrentHashMap.newKeySet();

    SparkCluster(JavaSparkContext spark) {
        this.spark = spark;
        this.sent = new SentPackages(spark);
        this.jobs = new SliceJobs(spark);
        this.runners = new Engine(Math.max(64, 4 * spark.defaultParallelism()), true, null);
    }

    /**
     * {@link Mapper#pmap(ParFunction, Iterable, Options)} on the cluster's executors.
     *
     * @param f the function
     * @param xs the items
     * @param options workers (slices at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order, that the caller may change
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the function or a value it uses cannot be serialized, or
     *     {@code xs} is a Tablesaw table or holds its rows, naming which
     * @throws dev.parkit.ParException if an item fails (the rest are cancelled)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return pmapOn(f, xs, options, null);
    }

    /**
     * {@link Mapper#pimap(ParFunction, Iterable, Options)} on the cluster's executors: the source
     * is read in windows as slices are needed, so it may be infinite.
     *
     * @param f the function
     * @param xs the items
     * @param options workers (slices at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return lazyOn(f, xs, options, null, true);
    }

    /**
     * {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on the cluster's executors.
     *
     * @param f the function
     * @param xs the items
     * @param options workers (slices at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return lazyOn(f, xs, options, null, false);
    }

    /**
     * {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on the cluster's executors; its
     * {@code retry} runs on the cluster too.
     *
     * @param f the function
     * @param xs the items
     * @param options workers (slices at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return the values and the failures
     */
    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return collectOn(f, xs, options, null);
    }

    // ---- streams: their first item is looked at for a Tablesaw Row before the call starts ----

    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Mapper.super.pmap(f, rowChecked(f, xs, options), options);
    }

    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Mapper.super.pimap(f, rowChecked(f, xs, options), options);
    }

    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return Mapper.super.pimapUnordered(f, rowChecked(f, xs, options), options);
    }

    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return Mapper.super.pmapCollect(f, rowChecked(f, xs, options), options);
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
     * A pool on the cluster whose workers each hold a state that {@code init} makes once: Spark's
     * {@code mapPartitions} set-up idiom as ParKit's {@link dev.parkit.Par#pool(int, Callable)}.
     * {@code init} is packed and sent like a function (so it may use the notebook's cells); it runs
     * on an executor once per executor thread that runs slices of the pool's calls, when the first
     * slice there needs it, never per item or per slice. Each state that is {@link AutoCloseable}
     * is closed, on every executor, when {@link ClusterPool#close()} (or this cluster's
     * {@code close()}) runs: see {@link ClusterPool} for how. The state's type should be a
     * JDK or library class (a class of a notebook cell is loaded afresh with each new function).
     *
     * <pre>{@code
     * try (var digests = cluster.pool(() -> MessageDigest.getInstance("SHA-256"))) {
     *     List<byte[]> hashes = digests.pmap((md, s) -> md.digest(s.getBytes()), words);
     * }
     * }</pre>
     *
     * @param init makes a worker's state
     * @param <S> the state's type
     * @return the pool; close it to close its states
     * @throws NullPointerException if {@code init} is null
     * @throws IllegalArgumentException if {@code init} or a value it uses cannot be serialized
     */
    public <S> ClusterPool<S> pool(ClusterPool.Init<? extends S> init) {
        Objects.requireNonNull(init, "init must not be null");
        shipJars(init);
        dev.parkit.spark.internal.TaskPackage pkg = dev.parkit.spark.internal.Packager.pack(init, null);
        String id = spark.sc().applicationId() + "/" + POOLS.incrementAndGet();
        ClusterPool<S> pool = new ClusterPool<>(this, new ExecutorPools.Spec(id, sent.broadcast(pkg)));
        pools.add(pool);
        return pool;
    }

    /**
     * A pool closed: closes its states on the executors. In this JVM ({@code local} masters)
     * directly; elsewhere by a close job that reaches each executor registered now (at most
     * {@link ExecutorPools#CLOSE_NANOS}), and an executor it could not reach (busy with other
     * calls) closes them at its next slice.
     */
    void closed(ClusterPool<?> pool, String id) {
        pools.remove(pool);
        if (spark.master().startsWith("local")) {
            ExecutorPools.close(id);
        } else if (!spark.sc().isStopped()) {
            closedPools.add(id);
            if (ExecutorPools.closeOnCluster(spark, id)) {
                closedPools.remove(id);
            }
        }
    }

    // ---- the calls, with the function of an item or (pool set) of a worker's state and an item ----

    <R> List<R> pmapOn(Object f, Iterable<?> xs, Options options, ExecutorPools.Spec pool) {
        check(f, xs, options);
        ClusterTask task = task(f, options, true, "pmap", pool);
        return Calls.all("pmap", () -> target(options), task, Calls.source(xs), options);
    }

    <R> Stream<R> lazyOn(Object f, Iterable<?> xs, Options options, ExecutorPools.Spec pool, boolean ordered) {
        check(f, xs, options);
        String op = ordered ? "pimap" : "pimapUnordered";
        ClusterTask task = task(f, options, true, op, pool);
        return Calls.lazy(op, () -> target(options), task, Calls.source(xs), options, ordered);
    }

    <T, R> MapResult<T, R> collectOn(Object f, Iterable<?> xs, Options options, ExecutorPools.Spec pool) {
        check(f, xs, options);
        ClusterTask task = task(f, options, false, "pmapCollect", pool);
        return Calls.collect(this, "pmapCollect", () -> target(options), task, Calls.source(xs), options);
    }

    /** The checks every call makes first, before the function is packed. */
    private void check(Object f, Iterable<?> xs, Options o) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(o, "options must not be null");
        TableItems.refuseTable(xs);
        if (xs instanceof List<?> list && xs instanceof java.util.RandomAccess && !list.isEmpty()) {
            // A list of a table's rows starts with one; a Row further on fails as an item that cannot travel.
            Object first;
            try {
                first = list.get(0);
            } catch (RuntimeException unreadable) {
                first = null; // the call meets it again, as item 0's failure
            }
            TableItems.refuseRows(java.util.Collections.singletonList(first));
        }
        if (o.workers() > maxWorkers()) {
            throw new IllegalArgumentException("workers must be <= " + maxWorkers() + " on this cluster (slices at once),"
                    + " got " + o.workers());
        }
    }

    /** The stream, its first item checked: a stream of a table's rows is refused before any job. */
    private static <T> Stream<T> rowChecked(Object f, Stream<T> xs, Options o) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(o, "options must not be null");
        java.util.Spliterator<T> it = xs.sequential().spliterator();
        List<T> first = new ArrayList<>(1);
        if (!it.tryAdvance(first::add)) {
            return Stream.empty();
        }
        TableItems.refuseRows(first);
        return Stream.concat(first.stream(), java.util.stream.StreamSupport.stream(it, false)).onClose(xs::close);
    }

    private ClusterTask task(Object f, Options o, boolean stopAtFirstFailure, String op, ExecutorPools.Spec pool) {
        shipJars(f);
        return new ClusterTask(jobs, costs, sent, f, stopAtFirstFailure, o.timeoutNanos(), pool, jvms, closedPools, op);
    }

    private void shipJars(Object f) {
        if (f.getClass().getClassLoader() != null) {
            KernelJars.ship(spark, f.getClass().getClassLoader(), shippedJars);
        }
    }

    /** As many slices at once as the options' workers, else as the cluster has executor cores. */
    private Calls.Target target(Options o) {
        return new Calls.Target(runners, o.workers() > 0 ? o.workers() : Math.min(maxWorkers(),
                spark.defaultParallelism()));
    }

    private int maxWorkers() {
        return runners.workers();
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

    /**
     * Closes its pools, stops its calls and the Spark application (its executors exit); the
     * cluster itself keeps running.
     *
     * @throws IllegalStateException if closing a pool's state threw; everything else is still
     *     closed and stopped
     */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ClusterPool<?> p : List.copyOf(pools)) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        runners.close();
        jobs.close();
        spark.stop();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SparkCluster[" + spark.master() + ", app " + spark.sc().applicationId() + "]";
    }
}
