package dev.parkit;

import dev.parkit.calls.Calls.Target;
import dev.parkit.calls.Calls;
import dev.parkit.internal.Engine;
import dev.parkit.util.Text;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A pool of workers you own: its own threads and, optionally, a state per worker that its
 * initializer creates once (the analogue of Python's {@code Pool(processes, initializer)}).
 *
 * <p>It is a {@link Mapper}: the same four calls as {@link Par}, with the same ordering, null,
 * failure and interrupt rules, options and progress bars, on its own threads. Each call also
 * comes with a function of the worker's state ({@link WorkerFunction}), in the same eight forms
 * ({@code Iterable} or {@code Stream}, with or without {@link Options}); the {@code (f, xs)} form's
 * javadoc is the contract of its four. A worker uses its state from one thread at a time, so a
 * non-thread-safe resource needs no lock. Closing the pool stops its calls and threads and closes
 * every state that is {@link AutoCloseable}, each once no item uses it.
 *
 * <p>Options may ask for fewer workers than the pool has, never more, and not for IO mode, which
 * is chosen when the pool is made ({@link Par#ioPool(int)}): both throw
 * {@link IllegalArgumentException}. A call on a closed pool throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (var pool = pool(2, () -> MessageDigest.getInstance("SHA-256"))) {
 *     List<byte[]> hashes = pool.pmap((md, s) -> md.digest(s.getBytes()), words);
 * }
 * }</pre>
 *
 * @param <S> the per-worker state type ({@code Void} for a pool without state)
 */
public final class Pool<S> implements Mapper, AutoCloseable {
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
     * {@link Mapper#pmap(ParFunction, Iterable, Options)} on this pool, with the worker's state.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the pool is closed
     * @throws ParException if an item fails
     */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pmap(WorkerFunction, Iterable)}, with options. */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.all("pmap", target(options), Calls.stateful(f), Calls.source(xs), options);
    }

    /** As {@link #pmap(WorkerFunction, Iterable)}, over a stream. */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pmap(WorkerFunction, Iterable)}, over a stream, with options. */
    public <T, R> List<R> pmap(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.all("pmap", target(options), Calls.stateful(f), Calls.source(xs), options);
    }

    /** {@link Mapper#pmap(ParFunction, Iterable, Options)} on this pool, without the worker's state. */
    @Override
    public <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.all("pmap", target(options), Calls.stateless(f), Calls.source(xs), options);
    }

    /**
     * {@link Mapper#pimap(ParFunction, Iterable, Options)} on this pool, with the worker's state.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results lazily, in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the pool is closed
     * @throws ParException if an item fails
     */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(WorkerFunction, Iterable)}, with options. */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimap", target(options), Calls.stateful(f), Calls.source(xs), options, true);
    }

    /** As {@link #pimap(WorkerFunction, Iterable)}, over a stream. */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(WorkerFunction, Iterable)}, over a stream, with options. */
    public <T, R> Stream<R> pimap(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.lazy("pimap", target(options), Calls.stateful(f), Calls.source(xs), options, true);
    }

    /** {@link Mapper#pimap(ParFunction, Iterable, Options)} on this pool, without the worker's state. */
    @Override
    public <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimap", target(options), Calls.stateless(f), Calls.source(xs), options, true);
    }

    /**
     * {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on this pool, with the worker's state.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the results lazily, in completion order
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the pool is closed
     * @throws ParException if an item fails
     */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(WorkerFunction, Iterable)}, with options. */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimapUnordered", target(options), Calls.stateful(f), Calls.source(xs), options, false);
    }

    /** As {@link #pimapUnordered(WorkerFunction, Iterable)}, over a stream. */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(WorkerFunction, Iterable)}, over a stream, with options. */
    public <T, R> Stream<R> pimapUnordered(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.lazy("pimapUnordered", target(options), Calls.stateful(f), Calls.source(xs), options, false);
    }

    /** {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on this pool, without the worker's state. */
    @Override
    public <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimapUnordered", target(options), Calls.stateless(f), Calls.source(xs), options, false);
    }

    /**
     * {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on this pool, with the worker's state.
     *
     * @param f the function, given the worker's state and an item
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the values (null where an item failed) and the failures
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the pool is closed
     */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(WorkerFunction, Iterable)}, with options. */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.collect(this, "pmapCollect", target(options), Calls.stateful(f), Calls.source(xs), options);
    }

    /** As {@link #pmapCollect(WorkerFunction, Iterable)}, over a stream. */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(WorkerFunction, Iterable)}, over a stream, with options. */
    public <T, R> MapResult<T, R> pmapCollect(WorkerFunction<? super S, ? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.collect(this, "pmapCollect", target(options), Calls.stateful(f), Calls.source(xs), options);
    }

    /** {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on this pool, without the worker's state. */
    @Override
    public <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.collect(this, "pmapCollect", target(options), Calls.stateless(f), Calls.source(xs), options);
    }

    /**
     * Closes the pool: calls in flight stop (their callers get a
     * {@link java.util.concurrent.CancellationException} saying the pool was closed), running
     * items are interrupted, and it waits up to a second, ignoring interrupts, for them to stop.
     * No item starts after it returns. Each worker state that is {@link AutoCloseable} is closed
     * once no item uses it: at once, or when an item that ignores interrupts (or the item that
     * called {@code close()}) ends. Idempotent.
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
        return "<div class=\"parkit-pool\"><b>" + Text.html(engine.name()) + "</b>: "
                + engine.workers() + " workers" + (engine.io() ? ", IO" : "")
                + (engine.virtual() ? " (virtual threads)" : ", " + engine.liveThreads() + " threads alive")
                + (engine.stateful() ? ", " + engine.statesCreated() + " worker states created" : "")
                + (engine.closed() ? ", <span style=\"color:#b00020\">closed</span>" : "") + "</div>";
    }

    @Override
    public String toString() {
        return "Pool " + engine;
    }

    private Supplier<Target> target(Options options) {
        Objects.requireNonNull(options, "options must not be null");
        if (options.isIo()) {
            throw new IllegalArgumentException("io() is chosen when the pool is made: use Par.ioPool(workers)");
        }
        if (engine.closed()) {
            throw new IllegalStateException("pool " + engine.name() + " is closed");
        }
        int workers = options.workersOr(engine.workers());
        if (workers > engine.workers()) {
            throw new IllegalArgumentException("workers must be <= the pool's " + engine.workers() + ", got " + workers);
        }
        Target t = new Target(engine, workers);
        return () -> t;
    }
}
