package dev.parkit.calls;

import dev.parkit.Mapper;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;

/**
 * A stream as the {@code Iterable} a {@link Mapper}'s stream overloads pass on: read once, through
 * one iterator, with the stream's exact size kept when it knows it (for the progress bar's total).
 *
 * @param <T> the item type
 */
public final class StreamItems<T> implements Iterable<T> {
    private final Spliterator<T> items;
    private final Runnable close;
    private boolean read; // guarded by this

    private StreamItems(Spliterator<T> items, Runnable close) {
        this.items = items;
        this.close = close;
    }

    /**
     * @param xs the stream; it is made sequential and its spliterator taken at once, so a stream
     *     already used fails here, at the call
     * @return the items
     * @throws NullPointerException if {@code xs} is null
     */
    public static <T> StreamItems<T> of(Stream<T> xs) {
        Stream<T> s = Objects.requireNonNull(xs, "xs must not be null").sequential();
        return new StreamItems<>(s.spliterator(), s::close);
    }

    /** Closes the stream (runs its close handlers): a lazy call's own stream does, when it is closed. */
    void close() {
        close.run();
    }

    /** @return the number of items, or -1 when the stream does not know it */
    long size() {
        return items.getExactSizeIfKnown();
    }

    /** @throws IllegalStateException on a second call: a stream can be read once */
    @Override
    public synchronized Iterator<T> iterator() {
        if (read) {
            throw new IllegalStateException("a stream's items can be read once");
        }
        read = true;
        return Spliterators.iterator(items);
    }

    @Override
    public String toString() {
        return "StreamItems[size=" + size() + "]";
    }
}
