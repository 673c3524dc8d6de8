package dev.parkit;

import dev.parkit.calls.Calls;
import dev.parkit.calls.SharedPools;
import dev.parkit.display.Displays;
import dev.parkit.internal.Engine;
import dev.parkit.progress.ProgressBar;
import dev.parkit.util.IntRange;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Parallel map for notebooks and JShell: {@code import static dev.parkit.Par.*;} and map a
 * function over a list, a stream, an array or a range on all your cores.
 *
 * <pre>{@code
 * pmap(x -> x * x, range(5));                         // [0, 1, 4, 9, 16]
 * pimap(x -> slow(x), lines).forEach(System.out::println);
 * pmap(f, xs, options().workers(4).progress("work"));
 * }</pre>
 *
 * <p>The map calls are {@link Mapper}'s, on the shared pools ({@link #shared()}): ordering, null,
 * failure and interrupt rules are stated once there. {@link #pool} gives a {@link Pool} you own,
 * with the same calls and per-worker state.
 *
 * <p><b>Threading.</b> Java threads run truly in parallel (there is no GIL). Calls without a pool
 * share one CPU pool of daemon threads (workers: the available processors unless options say
 * otherwise) and one IO pool ({@link Options#io()}); their idle threads exit after a second, so
 * nothing outlives a notebook cell. Tiny items are batched automatically. The calling thread
 * waits, drawing the progress bar, while the workers run; it never runs items of its own call
 * (nothing could abandon an item that ignores interrupts on it), except in a call made from
 * inside a mapped function, on a worker, within its worker count, so nesting cannot deadlock,
 * even across pools (a pool's item calling another pool whose item calls the first: the worker
 * waiting in the inner call runs the items that need its slot). Several threads may call at
 * once, and long calls share the threads fairly.
 */
public final class Par {

    static {
        Calls.prepare();
    }

    private Par() {}

    /**
     * Warms ParKit up in the background so the first map call runs at full speed: the kernels'
     * start-up script calls it. Returns at once; calling it again does nothing.
     */
    public static void warmUp() {
        // The work happens once, in the static initializer, which calling this method triggers.
    }

    // ---- sources and options ----

    /**
     * The integers 0 to {@code n - 1}, like Python's {@code range(n)}.
     *
     * @param n how many
     * @return an unmodifiable list
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static List<Integer> range(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("range size must be >= 0, got " + n);
        }
        return new IntRange(0, n);
    }

    /**
     * The integers {@code from} to {@code to - 1}.
     *
     * @param from the first value
     * @param to one past the last value
     * @return an unmodifiable list
     * @throws IllegalArgumentException if {@code to < from}, or the range holds more than
     *     {@link Integer#MAX_VALUE} items
     */
    public static List<Integer> range(int from, int to) {
        return new IntRange(from, to);
    }

    /**
     * The default options, to refine: {@code options().workers(4).progress("label")}.
     *
     * @return the default options
     */
    public static Options options() {
        return Options.defaults();
    }

    // ---- the map calls ----

    /**
     * The shared pools as a {@link Mapper}: the calls below are its. Hand it to code that takes
     * any {@code Mapper}, where a {@link Pool} or a cluster would do too.
     *
     * @return the shared pools' mapper (the same object on every call)
     */
    public static Mapper shared() {
        return SharedPools.MAPPER;
    }

    /** {@link Mapper#pmap(ParFunction, Iterable, Options)} on the shared pools, with the default options. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return shared().pmap(f, xs);
    }

    /** {@link Mapper#pmap(ParFunction, Iterable, Options)} on the shared pools. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return shared().pmap(f, xs, options);
    }

    /** {@link Mapper#pmap(ParFunction, Iterable, Options)} on the shared pools, over a stream, with the default options. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return shared().pmap(f, xs);
    }

    /** {@link Mapper#pmap(ParFunction, Iterable, Options)} on the shared pools, over a stream. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return shared().pmap(f, xs, options);
    }

    /** {@link Mapper#pimap(ParFunction, Iterable, Options)} on the shared pools, with the default options. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return shared().pimap(f, xs);
    }

    /** {@link Mapper#pimap(ParFunction, Iterable, Options)} on the shared pools. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return shared().pimap(f, xs, options);
    }

    /** {@link Mapper#pimap(ParFunction, Iterable, Options)} on the shared pools, over a stream, with the default options. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return shared().pimap(f, xs);
    }

    /** {@link Mapper#pimap(ParFunction, Iterable, Options)} on the shared pools, over a stream. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return shared().pimap(f, xs, options);
    }

    /** {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on the shared pools, with the default options. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return shared().pimapUnordered(f, xs);
    }

    /** {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on the shared pools. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return shared().pimapUnordered(f, xs, options);
    }

    /** {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on the shared pools, over a stream, with the default options. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return shared().pimapUnordered(f, xs);
    }

    /** {@link Mapper#pimapUnordered(ParFunction, Iterable, Options)} on the shared pools, over a stream. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return shared().pimapUnordered(f, xs, options);
    }

    /** {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on the shared pools, with the default options. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return shared().pmapCollect(f, xs);
    }

    /** {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on the shared pools. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return shared().pmapCollect(f, xs, options);
    }

    /** {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on the shared pools, over a stream, with the default options. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return shared().pmapCollect(f, xs);
    }

    /** {@link Mapper#pmapCollect(ParFunction, Iterable, Options)} on the shared pools, over a stream. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return shared().pmapCollect(f, xs, options);
    }

    // ---- parallel(f) ----

    /**
     * Turns {@code f} into its list-to-list parallel version (the {@code easy_parallelize} idea):
     * {@code parallel(f).apply(xs)} equals {@code pmap(f, xs)}.
     *
     * <pre>{@code
     * var slowSquares = parallel((Integer x) -> slowSquare(x));
     * slowSquares.apply(range(100));
     * }</pre>
     *
     * @param f the function
     * @param <T> the input type
     * @param <R> the result type
     * @return a function from items to results in input order
     * @throws NullPointerException if {@code f} is null
     */
    public static <T, R> Function<Iterable<? extends T>, List<R>> parallel(ParFunction<? super T, ? extends R> f) {
        return parallel(f, Options.defaults());
    }

    /** As {@link #parallel(ParFunction)}, with options. */
    public static <T, R> Function<Iterable<? extends T>, List<R>> parallel(ParFunction<? super T, ? extends R> f,
            Options options) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return xs -> pmap(f, xs, options);
    }

    // ---- progress for any loop ----

    /**
     * Wraps a loop's items so a progress bar follows it, like tqdm: an HTML bar updated in place in
     * Jupyter, a {@code \r} text line in JShell or a terminal. The bar counts an item when the
     * loop asks for the next one, and finishes when the items run out.
     *
     * <pre>{@code
     * for (String url : progress(urls, "download")) { fetch(url); }
     * }</pre>
     *
     * @param items the items
     * @param label the bar's label
     * @param <T> the item type
     * @return the same items, counted as they are consumed
     * @throws NullPointerException if {@code items} is null
     */
    public static <T> Iterable<T> progress(Iterable<T> items, String label) {
        return ProgressBar.over(Objects.requireNonNull(items, "items must not be null"), label, Displays.current());
    }

    /** As {@link #progress(Iterable, String)}, without a label. */
    public static <T> Iterable<T> progress(Iterable<T> items) {
        return progress(items, null);
    }

    /**
     * A stream that draws a progress bar as it is consumed; it finishes red if a later stage
     * throws. Works on the lazy results of {@link #pimap} and {@link #pimapUnordered}.
     *
     * <pre>{@code
     * progress(pimapUnordered(x -> slow(x), xs), "work").forEach(System.out::println);
     * }</pre>
     *
     * @param items the stream
     * @param label the bar's label
     * @param <T> the item type
     * @return the stream, counted as it is consumed
     * @throws NullPointerException if {@code items} is null
     */
    public static <T> Stream<T> progress(Stream<T> items, String label) {
        return ProgressBar.over(Objects.requireNonNull(items, "items must not be null"), label, Displays.current());
    }

    /** As {@link #progress(Stream, String)}, without a label. */
    public static <T> Stream<T> progress(Stream<T> items) {
        return progress(items, null);
    }

    /**
     * The integers 0 to {@code n - 1} with a progress bar: {@code for (int i : progress(100)) ...}.
     *
     * @param n how many
     * @return the integers, counted as they are consumed
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public static Iterable<Integer> progress(int n) {
        return ProgressBar.over(n, null, Displays.current());
    }

    // ---- pools ----

    /**
     * A pool of {@code workers} threads you close yourself.
     *
     * @param workers the number of workers
     * @return the pool
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static Pool<Void> pool(int workers) {
        Options.checkWorkers(workers);
        return new Pool<>(new Engine(workers, false, null));
    }

    /**
     * A pool whose every worker creates its own state once with {@code initializer}, like
     * Python's {@code Pool(processes=workers, initializer=init)}: the place for a non-thread-safe
     * or expensive resource (a parser, a {@code MessageDigest}, a model session). Functions given
     * to the pool receive it; closing the pool closes each state that is {@link AutoCloseable}.
     *
     * <pre>{@code
     * try (var pool = pool(2, () -> MessageDigest.getInstance("SHA-256"))) {
     *     pool.pmap((md, s) -> md.digest(s.getBytes()), words);
     * }
     * }</pre>
     *
     * @param workers the number of workers
     * @param initializer creates one worker's state; called on the worker's first item
     * @param <S> the state type
     * @return the pool
     * @throws NullPointerException if {@code initializer} is null
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static <S> Pool<S> pool(int workers, Callable<? extends S> initializer) {
        Options.checkWorkers(workers);
        Objects.requireNonNull(initializer, "initializer must not be null");
        return new Pool<>(new Engine(workers, false, initializer));
    }

    /**
     * A pool for latency-bound work: virtual threads where the JVM has them (21+), else platform
     * threads; {@code workers} bounds how many items are in flight.
     *
     * @param workers the number of items in flight
     * @return the pool
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static Pool<Void> ioPool(int workers) {
        Options.checkWorkers(workers);
        return new Pool<>(new Engine(workers, true, null));
    }

    /**
     * Retires the shared pools: calls in flight finish normally, later calls start fresh pools,
     * and the old threads exit as soon as their calls are over (instead of after their idle
     * time-out). Safe to call while other threads are mapping.
     */
    public static void shutdown() {
        SharedPools.shutdown();
    }
}
