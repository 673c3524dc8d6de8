package dev.parkit;

import dev.parkit.engine.Engine;
import dev.parkit.engine.Source;
import dev.parkit.engine.Task;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A pool of workers you own: its own threads and, optionally, a state per worker that its
 * initializer creates once (the analogue of Python's {@code Pool(processes, initializer)}).
 *
 * <p>Functions receive the worker's state as their first argument; a worker uses its state from
 * one thread at a time, so a non-thread-safe resource needs no lock. Closing the pool stops its
 * threads and closes every state that is {@link AutoCloseable}. The ordering, threading and null
 * policy is that of {@link Par}.
 *
 * <pre>{@code
 * try (var pool = pool(2, () -> MessageDigest.getInstance("SHA-256"))) {
 *     List<byte[]> hashes = pool.pmap((md, s) -> md.digest(s.getBytes()), words);
 * }
 * }</pre>
 *
 * @param <S> the per-worker state type ({@code Void} for a pool without state)
 */
public final class Pool<S> implements AutoCloseable {
    private final Engine engine;

    Pool(Engine engine) {
        this.engine = engine;
    }

    /** @return the number of workers */
    public int workers() {
        return engine.workers();
    }

    /** @return how many worker states the initializer has created so far */
    public int statesCreated() {
        return engine.statesCreated();
    }

    /**
     * Maps {@code f} over {@code xs} with each worker's state; see {@link Par#pmap(ParFunction, Iterable)}.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws NullPointerException if {@code f} or {@code xs} is null
     * @throws ParException if an item fails
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /**
     * As {@link #pmap(WorkerFunction, Iterable)}, with options ({@code workers} at most the
     * pool's; IO mode is chosen when the pool is made).
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param options chunk size, timeout, progress, fewer workers
     * @param <T> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the options ask for more workers than the pool has, or for IO mode
     * @throws ParException if an item fails
     */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options) {
        return Mapper.all(target(options), task(f), Source.of(Objects.requireNonNull(xs, "xs must not be null")),
                options);
    }

    /**
     * Maps a function that does not need the worker's state.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws NullPointerException if {@code f} or {@code xs} is null
     * @throws ParException if an item fails
     */
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        Objects.requireNonNull(f, "f must not be null");
        return pmap((S state, T x) -> f.apply(x), xs, Options.defaults());
    }

    /**
     * Lazy, ordered results with each worker's state; see {@link Par#pimap(ParFunction, Iterable)}.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results in input order, computed ahead within a bounded window
     * @throws NullPointerException if {@code f} or {@code xs} is null
     */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return Mapper.lazy(target(Options.defaults()), task(f),
                Source.of(Objects.requireNonNull(xs, "xs must not be null")), Options.defaults(), true);
    }

    /**
     * Lazy results in completion order with each worker's state; see
     * {@link Par#pimapUnordered(ParFunction, Iterable)}.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results as they complete
     * @throws NullPointerException if {@code f} or {@code xs} is null
     */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs) {
        return Mapper.lazy(target(Options.defaults()), task(f),
                Source.of(Objects.requireNonNull(xs, "xs must not be null")), Options.defaults(), false);
    }

    /**
     * Maps every item, collecting failures instead of stopping at the first; see
     * {@link Par#pmapCollect(ParFunction, Iterable)}.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the values (null where an item failed) and the failures
     * @throws NullPointerException if {@code f} or {@code xs} is null
     */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f,
            Iterable<? extends T> xs) {
        return Mapper.collect(target(Options.defaults()), task(f),
                Source.of(Objects.requireNonNull(xs, "xs must not be null")), Options.defaults());
    }

    /**
     * Stops the workers (interrupting any running item) and closes each worker state that is
     * {@link AutoCloseable}. Idempotent.
     *
     * @throws IllegalStateException if closing a state threw (every state is still closed)
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * An HTML view for notebooks: the pool's name, workers, threads and states.
     *
     * @return an HTML fragment
     */
    public String toHtml() {
        return "<div class=\"parkit-pool\"><b>" + Previews.html(engine.name()) + "</b>: "
                + engine.workers() + " workers" + (engine.io() ? ", IO" : "")
                + (engine.virtual() ? " (virtual threads)" : ", " + engine.liveThreads() + " threads alive")
                + (engine.stateful() ? ", " + engine.statesCreated() + " worker states created" : "")
                + (engine.closed() ? ", <span style=\"color:#b00020\">closed</span>" : "") + "</div>";
    }

    @Override
    public String toString() {
        return "Pool" + engine;
    }

    private Mapper.Target target(Options options) {
        Objects.requireNonNull(options, "options must not be null");
        if (options.isIo()) {
            throw new IllegalArgumentException("io() is chosen when the pool is made: use Par.ioPool(workers)");
        }
        if (engine.closed()) {
            throw new IllegalStateException("this pool is closed");
        }
        int workers = options.workersOr(engine.workers());
        if (workers > engine.workers()) {
            throw new IllegalArgumentException("workers must be <= the pool's " + engine.workers() + ", got " + workers);
        }
        return new Mapper.Target(engine, workers);
    }

    @SuppressWarnings("unchecked")
    private static Task task(WorkerFunction<?, ?, ?> f) {
        Objects.requireNonNull(f, "f must not be null");
        WorkerFunction<Object, Object, Object> g = (WorkerFunction<Object, Object, Object>) f;
        return g::apply;
    }
}
