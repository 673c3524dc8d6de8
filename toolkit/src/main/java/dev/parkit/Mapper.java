package dev.parkit;

import dev.parkit.calls.StreamItems;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The four map calls, wherever the items run: {@link Par}'s statics ({@link Par#shared()}), a
 * {@link Pool} you own, and a cluster (the parkit-spark module). Each implementation keeps every
 * rule below, and one contract suite of tests holds each to them.
 *
 * <pre>{@code
 * Mapper m = Par.shared();                                 // or pool(4), or a cluster
 * m.pmap(x -> x * x, range(5));                            // [0, 1, 4, 9, 16]
 * m.pimap(x -> slow(x), lines).forEach(System.out::println);
 * m.pmap(f, xs, options().workers(2).progress("work"));
 * }</pre>
 *
 * <p><b>Ordering.</b> {@code pmap}, {@code pmapCollect} and {@code pimap} give results in input
 * order, exactly as the serial loop would (floating-point results bit for bit: each item is
 * computed by the same code). {@code pimapUnordered} gives the same results in completion order.
 *
 * <p><b>Threading.</b> The function runs on worker threads, several items at once, so it must be
 * thread-safe or use per-worker state ({@link Par#pool(int, java.util.concurrent.Callable)}).
 * {@code workers} bounds how many items run at once. Several threads may call at once.
 *
 * <p><b>Overloads.</b> Each call takes {@code (f, xs)} or {@code (f, xs, options)}, with {@code xs}
 * an {@code Iterable} or a {@code Stream}; the javadoc of the {@code (f, Iterable, Options)} form is
 * the contract of all four. A random-access list is read in place, by index; any other iterable,
 * and a stream, is read lazily through its iterator, one reader at a time, as items are needed.
 * The other forms are default methods: without options they pass {@link Par#options()}, and a
 * stream becomes a one-shot {@code Iterable} over it (its size, when known, is kept).
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
 * throws {@link NullPointerException} naming the argument ({@code "f must not be null"}); a bad
 * option value throws {@link IllegalArgumentException} naming it and the value.
 *
 * <p><b>Failures.</b> If the function throws, the call throws {@link ParException} naming the
 * item's index and value, with the original exception as its cause; the remaining items are
 * cancelled and no new item starts. {@code pimap} first delivers every result before the failing
 * item, then throws at its position. {@code pmapCollect} collects failures instead: every item
 * comes back as a value or a failure. A source that throws fails at the position of the item it
 * could not produce. None is silently lost.
 *
 * <p><b>Interrupts.</b> Interrupting the calling thread (a notebook's interrupt) cancels every
 * pending and running item and throws {@link java.util.concurrent.CancellationException} with the
 * thread's interrupt status set, never an item failure; no item starts after it. The call returns
 * within about a second even if the function ignores interrupts: a worker still stuck in such an
 * item is retired and replaced, so the next call runs at full parallelism at once, and the message
 * names the items that were still running. Closing a {@code pimap} stream early cancels the rest.
 */
public interface Mapper {

    /**
     * Applies {@code f} to every item in parallel and returns the results in input order, like
     * Python's {@code pool.map(f, xs)}.
     *
     * <pre>{@code
     * List<Integer> squares = pmap(x -> x * x, range(5), options().workers(2)); // [0, 1, 4, 9, 16]
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the input type
     * @param <R> the result type
     * @return a new list of the results, in input order, that the caller may change
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an option cannot hold here, saying which, or if
     *     {@code xs} gives one Tablesaw {@code Row} object twice (a stream: twice in a row)
     * @throws ParException if an item fails (the rest are cancelled)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options);

    /**
     * Applies {@code f} in parallel and gives the results lazily, in input order, like Python's
     * {@code pool.imap}. The source is read as workers need items, and only a few chunks per
     * worker are in flight ahead of the consumer, so memory stays bounded on huge or infinite
     * sources. A failure is thrown at its position, after every earlier result. Closing the
     * stream (or abandoning it) cancels the rest.
     *
     * <pre>{@code
     * pimap(x -> x * x, range(5), options()).forEach(System.out::println); // 0 1 4 9 16
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the input type
     * @param <R> the result type
     * @return a sequential stream of the results, in input order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an option cannot hold here, saying which
     * @throws ParException if an item fails, from the stream (those after it are cancelled)
     * @throws java.util.concurrent.CancellationException if the consuming thread is interrupted
     */
    <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs, Options options);

    /**
     * Applies {@code f} in parallel and gives the results lazily as they complete, like Python's
     * {@code pool.imap_unordered}: the same results as {@code pimap}, in completion order. The
     * first failure is thrown as soon as it is seen.
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the input type
     * @param <R> the result type
     * @return a sequential stream of the results, in completion order
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an option cannot hold here, saying which
     * @throws ParException if an item fails, from the stream (the rest are cancelled)
     * @throws java.util.concurrent.CancellationException if the consuming thread is interrupted
     */
    <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options);

    /**
     * Maps every item and collects the failures instead of stopping at the first: every item
     * comes back as a value or a failure.
     *
     * <pre>{@code
     * MapResult<String, Integer> r = pmapCollect(Integer::parseInt, List.of("1", "x", "3"), options());
     * r.values();   // [1, null, 3]
     * r.failures(); // [item 1 ("x"): java.lang.NumberFormatException: ...]
     * }</pre>
     *
     * @param f the function
     * @param xs the items
     * @param options workers, chunk size, timeout, progress
     * @param <T> the input type
     * @param <R> the result type
     * @return the values in input order (null where an item failed) and the failures by index
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an option cannot hold here, saying which
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs,
            Options options);

    // ---- the overloads: without options, over a stream ----

    /** As {@link #pmap(ParFunction, Iterable, Options)}, with the default options. */
    default <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pmap(ParFunction, Iterable, Options)}, over a stream. */
    default <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return pmap(checked(f), once(xs), options);
    }

    /** As {@link #pmap(ParFunction, Iterable, Options)}, over a stream, with the default options. */
    default <T, R> List<R> pmap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(ParFunction, Iterable, Options)}, with the default options. */
    default <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimap(ParFunction, Iterable, Options)}, over a stream. */
    default <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs, Options options) {
        return pimap(checked(f), once(xs), options);
    }

    /** As {@link #pimap(ParFunction, Iterable, Options)}, over a stream, with the default options. */
    default <T, R> Stream<R> pimap(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimap(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable, Options)}, with the default options. */
    default <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable, Options)}, over a stream. */
    default <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return pimapUnordered(checked(f), once(xs), options);
    }

    /** As {@link #pimapUnordered(ParFunction, Iterable, Options)}, over a stream, with the default options. */
    default <T, R> Stream<R> pimapUnordered(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pimapUnordered(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(ParFunction, Iterable, Options)}, with the default options. */
    default <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Iterable<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** As {@link #pmapCollect(ParFunction, Iterable, Options)}, over a stream. */
    default <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs,
            Options options) {
        return pmapCollect(checked(f), once(xs), options);
    }

    /** As {@link #pmapCollect(ParFunction, Iterable, Options)}, over a stream, with the default options. */
    default <T, R> MapResult<T, R> pmapCollect(ParFunction<? super T, ? extends R> f, Stream<? extends T> xs) {
        return pmapCollect(f, xs, Options.defaults());
    }

    /** The function, checked first as the {@code Iterable} forms check it, before the stream is touched. */
    private static <F> F checked(F f) {
        return Objects.requireNonNull(f, "f must not be null");
    }

    /** The stream as an {@code Iterable} that can be read once, keeping its size when known. */
    private static <T> Iterable<T> once(Stream<T> xs) {
        return StreamItems.of(xs);
    }
}
