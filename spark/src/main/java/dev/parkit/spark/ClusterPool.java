package dev.parkit.spark;

import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.WorkerFunction;
import dev.parkit.spark.internal.ExecutorPools;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * A pool on a cluster whose workers each hold a state, made by {@link SparkCluster#pool}: the
 * four calls of {@link SparkCluster} with a function of the worker's state and an item
 * ({@link WorkerFunction}), as {@link dev.parkit.Pool}'s are locally, with the same rules and
 * options. The state is made once per executor thread that runs the pool's slices and used by
 * one item at a time, so a resource that is not thread-safe needs no lock.
 *
 * <p>Closing the pool closes each state that is {@link AutoCloseable}, on every executor: in
 * this JVM directly ({@code local} masters); on executors in JVMs of their own, by a small Spark
 * job that reaches each of them before {@code close()} returns (an executor whose cores stay busy
 * with other calls for 5 s closes them at its next slice instead, or when it exits). A call on a
 * closed pool throws {@link IllegalStateException}.
 *
 * @param <S> the state's type
 */
public final class ClusterPool<S> implements AutoCloseable {
    /**
     * What makes a worker's state: a {@link Callable} that can travel to the executors (a lambda
     * typed as this is serializable).
     *
     * @param <S> the state's type
     */
    @FunctionalInterface
    public interface Init<S> extends Callable<S>, java.io.Serializable {}

    private final SparkCluster cluster;
    private final ExecutorPools.Spec spec;
    private volatile boolean closed;

    ClusterPool(SparkCluster cluster, ExecutorPools.Spec spec) {
        this.cluster = cluster;
        this.spec = spec;
    }

    /**
     * As {@link SparkCluster#pmap(dev.parkit.ParFunction, Iterable, Options)}, with the worker's state.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param options workers (slices at once), chunk size, timeout, progress
     * @param <T> the item type
     * @param <R> the result type
     * @return a new list of the results, in input order
     * @throws IllegalStateException if the pool is closed
     */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return cluster.pmapOn(f, xs, options, open());
    }

    /** As {@link #pmap(WorkerFunction, Iterable, Options)}, with the default options. */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, dev.parkit.Par.options());
    }

    /** As {@link #pmap(WorkerFunction, Iterable, Options)}, lazily in input order, as {@link SparkCluster#pimap}. */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return cluster.lazyOn(f, xs, options, open(), true);
    }

    /** As {@link #pimap(WorkerFunction, Iterable, Options)}, with the default options. */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, dev.parkit.Par.options());
    }

    /** As {@link #pimap(WorkerFunction, Iterable, Options)}, in completion order. */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs, Options options) {
        return cluster.lazyOn(f, xs, options, open(), false);
    }

    /** As {@link #pimapUnordered(WorkerFunction, Iterable, Options)}, with the default options. */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, dev.parkit.Par.options());
    }

    /**
     * As {@link #pmap(WorkerFunction, Iterable, Options)}, collecting failures; its
     * {@code retry} (a function of the item alone) runs on the cluster.
     */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs, Options options) {
        return cluster.collectOn(f, xs, options, open());
    }

    /** As {@link #pmapCollect(WorkerFunction, Iterable, Options)}, with the default options. */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs) {
        return pmapCollect(f, xs, dev.parkit.Par.options());
    }

    private ExecutorPools.Spec open() {
        if (closed) {
            throw new IllegalStateException("cluster pool " + spec.id() + " is closed");
        }
        return spec;
    }

    /**
     * Closes the pool: see the class doc for where and when its states are closed. Idempotent.
     *
     * @throws IllegalStateException if closing a state threw (naming the executor); every other
     *     state is still closed
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            cluster.closed(this, spec.id());
        }
    }

    @Override
    public String toString() {
        return "ClusterPool[" + spec.id() + (closed ? ", closed" : "") + "]";
    }
}
