package dev.parkit;

import dev.parkit.display.Displays;
import dev.parkit.internal.Engine;
import dev.parkit.internal.IntRange;
import dev.parkit.progress.ProgressBar;
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
 * <p><b>Ordering.</b> {@code pmap}, {@code pmapCollect} and {@code pimap} give results in input
 * order, exactly as the serial loop would (floating-point results bit for bit: each item is
 * computed by the same code). {@code pimapUnordered} gives them in completion order.
 *
 * <p><b>Threading.</b> Java threads run truly in parallel (there is no GIL). The function runs on
 * worker threads, several items at once, so it must be thread-safe or use per-worker state
 * ({@link #pool(int, Callable)}). Calls without a pool share one CPU pool of daemon threads
 * (workers: the available processors unless options say otherwise) and one IO pool; their idle
 * threads exit after a second, so nothing outlives a notebook cell. Tiny items are batched
 * automatically. The calling thread waits, drawing the progress bar, while the workers run;
 * it runs items itself only in a small call (at most 64 items, no timeout) of a function whose
 * items were measured tiny, as a parallel stream's caller does, and in a call made from inside a
 * mapped function, within its worker count, so nesting cannot deadlock. Several threads may call
 * at once, and long calls share the threads fairly.
 *
 * <p><b>Overloads.</b> Each map call takes {@code (f, xs)} or {@code (f, xs, options)}, with
 * {@code xs} an {@code Iterable} or a {@code Stream}; the first form's javadoc is the contract of
 * all four. A random-access list is read in place, by index; any other iterable, and a stream,
 * is read lazily through its iterator by the workers, one reader at a time, as they need items.
 *
 * <p><b>Tables.</b> A Tablesaw {@code Table} is read as its rows, like a list: each item is a
 * {@code Row} of its own at its row, so {@code pmap(row -> row.getDouble("x") * 2, table)} gives
 * one result per row in row order, a failure names the row and its values, and the bar counts
 * rows. (A table's own iterator hands out one {@code Row} that moves, which workers cannot
 * share.) A list that holds one {@code Row} object twice, or a stream that gives it twice in a
 * row, as {@code table.stream()} does, throws {@link IllegalArgumentException}: pass the table
 * itself.
 *
 * <p><b>Nulls.</b> Items and results may be null. A null function, source or options argument
 * throws {@link NullPointerException} naming the argument.
 *
 * <p><b>Failures and interrupts.</b> If the function throws, the call throws {@link ParException}
 * naming the item's index and value, with the original exception as its cause; the remaining
 * items are cancelled. {@code pimap} first delivers every result before the failing item, then
 * throws at its position. {@link #pmapCollect} collects failures instead. Interrupting the calling
 * thread (a notebook's interrupt) cancels all pending and running items and throws
 * {@link java.util.concurrent.CancellationException} with the thread's interrupt status set,
 * within about a second even if the function ignores interrupts: workers still stuck in such an
 * item are retired and replaced, so the next call runs at full parallelism at once, and the
 * message names the items that were still running. Every item comes back as a value or a
 * failure, or is reported cancelled: none is silently lost.
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
     * Applies {@code f} to every item in parallel and returns the results in input order, like
     * Python's {@code pool.map(f, xs)}.
     *
     * <pre>{@code
     * List<Integer> squares = pmap(x -> x * x, range(5)); // [0, 1, 4, 9, 16]
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return a new list of the results, in input order
     * @throws ParException if an item fails (the rest are cancelled)
     * @throws IllegalArgumentException if {@code xs} gives one Tablesaw {@code Row} object twice
     *     (a stream: twice in a row)
     */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pmap(ParFunction, Iterable)}, with options. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.all("pmap", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options);
    }

    /** As {@link #pmap(ParFunction, Iterable)}, over a stream. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pmap(ParFunction, Iterable)}, over a stream, with options. */
    public static <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.all("pmap", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options);
    }

    /**
     * Applies {@code f} in parallel and gives the results lazily, in input order, like Python's
     * {@code pool.imap}. The source is read as workers need items, and only a few chunks per
     * worker are in flight ahead of the consumer, so memory stays bounded on huge or infinite
     * sources and an abandoned stream stops its work. A failure is thrown at its position, after
     * every earlier result. Closing the stream cancels the rest.
     *
     * <pre>{@code
     * pimap(x -> x * x, range(5)).forEach(System.out::println); // 0 1 4 9 16
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return a sequential stream of the results, in input order
     * @throws ParException if an item fails (the rest are cancelled, for {@code pimap} those after it)
     */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(ParFunction, Iterable)}, with options. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimap", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options, true);
    }

    /** As {@link #pimap(ParFunction, Iterable)}, over a stream. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(ParFunction, Iterable)}, over a stream, with options. */
    public static <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.lazy("pimap", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options, true);
    }

    /**
     * Applies {@code f} in parallel and gives the results lazily as they complete, like Python's
     * {@code pool.imap_unordered}. The first failure is thrown as soon as it is seen.
     *
     * @param f the function
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return a sequential stream of the results, in completion order
     * @throws ParException if an item fails (the rest are cancelled)
     */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable)}, with options. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.lazy("pimapUnordered", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options, false);
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable)}, over a stream. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable)}, over a stream, with options. */
    public static <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.lazy("pimapUnordered", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options, false);
    }

    /**
     * Maps every item and collects the failures instead of stopping at the first: every item
     * comes back as a value or a failure.
     *
     * <pre>{@code
     * MapResult<String, Integer> r = pmapCollect(Integer::parseInt, List.of("1", "x", "3"));
     * r.values();   // [1, null, 3]
     * r.failures(); // [item 1 ("x"): java.lang.NumberFormatException: ...]
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param <T> the input type
     * @param <R> the result type
     * @return the values in input order (null where an item failed) and the failures by index
     */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(ParFunction, Iterable)}, with options. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options) {
        return Calls.collect("pmapCollect", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options);
    }

    /** As {@link #pmapCollect(ParFunction, Iterable)}, over a stream. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(ParFunction, Iterable)}, over a stream, with options. */
    public static <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return Calls.collect("pmapCollect", SharedPools.target(options), Calls.stateless(f), Calls.source(xs), options);
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
     * threads; {@code workers} bounds how many items of its calls run at once. An item of a
     * stopped call that ignores its interrupt is retired with its worker and no longer counts, so
     * the next call still runs {@code workers} items at once while it finishes on its own: that
     * promise wins over a strict bound on every running item.
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
