package dev.parkit.internal;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * Where a call's items come from. Read by one runner at a time, under the call's claim lock (never
 * under a lock the receiver takes).
 *
 * <p>A lazy source is read with a time budget: a chunk stops growing once reading it took
 * {@link #READ_BUDGET_NANOS}, so items from a slow producer (a queue, a socket) start as soon as
 * they arrive instead of waiting for a full chunk. A source that throws, even a checked exception
 * thrown sneakily or an {@link Error}, fails at the position of the item it could not produce;
 * the items read before it are handed out first.
 */
public abstract class Source {
    static final long READ_BUDGET_NANOS = 1_000_000;

    private Source() {}

    /**
     * @return the number of items, or -1 when unknown: for a source read through an iterator, the
     *     collection's or stream's size at the call's start, which sizes chunks and the bar's total
     */
    public abstract long size();

    /**
     * @return true when {@link #size()} is where the items end; else only the iterator's end is
     *     (a concurrent queue or set that the function adds to, or that another thread fills,
     *     has more items by then, and a serial for-each over it sees them too)
     */
    abstract boolean sizeIsTheEnd();

    /**
     * Closes what the items come from, when the call was given something to close (a stream's
     * close handlers: {@code Files.lines} keeps a file open until then). A lazy call runs it when
     * its own stream is closed, as a stream's {@code map} would.
     */
    public void close() {}

    /**
     * Reads up to {@code max} items starting at position {@code start}.
     *
     * @return the chunk, or null when the source is exhausted
     * @throws SourceFailure if the source threw instead of producing the item at {@code start}
     */
    abstract Chunk pull(long start, int max) throws SourceFailure;

    /** The source threw while producing an item. */
    static final class SourceFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SourceFailure(Throwable cause) {
            super(cause);
        }
    }

    /**
     * @param items the items; a random-access list is read in place, anything else through its
     *     iterator, lazily
     * @return the source
     */
    public static Source of(Iterable<?> items) {
        if (items instanceof List<?> list && items instanceof RandomAccess) {
            return new Indexed(list);
        }
        long size = items instanceof java.util.Collection<?> c ? c.size() : -1;
        return new Lazy(items.iterator(), size, null);
    }

    /**
     * @param it the items' iterator, read lazily
     * @param size the number of items, or -1 when unknown
     * @return the source
     */
    public static Source of(Iterator<?> it, long size) {
        return new Lazy(it, size, null);
    }

    /**
     * @param it the items' iterator, read lazily
     * @param size the number of items, or -1 when unknown
     * @param close what {@link #close()} runs: the stream's own close
     * @return the source
     */
    public static Source of(Iterator<?> it, long size, Runnable close) {
        return new Lazy(it, size, close);
    }

    private static final class Indexed extends Source {
        private final List<?> list;
        private final int size;

        Indexed(List<?> list) {
            this.list = list;
            this.size = list.size();
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        boolean sizeIsTheEnd() {
            return true;
        }

        @Override
        Chunk pull(long start, int max) {
            int n = (int) Math.min(max, size - start);
            return n <= 0 ? null : Chunk.ofList(start, list, (int) start, n);
        }
    }

    private static final class Lazy extends Source {
        private final Iterator<?> it;
        private final long size;
        private final Runnable close;
        private Throwable pending;
        private boolean ended;

        Lazy(Iterator<?> it, long size, Runnable close) {
            this.it = it;
            this.size = size;
            this.close = close;
        }

        @Override
        public void close() {
            if (close != null) {
                close.run();
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        boolean sizeIsTheEnd() {
            return false;
        }

        @Override
        Chunk pull(long start, int max) throws SourceFailure {
            if (pending != null) {
                Throwable e = pending;
                pending = null;
                ended = true;
                throw new SourceFailure(e);
            }
            if (ended) {
                return null;
            }
            Object[] buf = new Object[Math.min(max, ChunkSizer.MAX_AUTO)]; // max may be huge: grow as read
            int n = 0;
            long t0 = System.nanoTime();
            try {
                while (n < max) {
                    // The clock is read after items 1, 2, 4, ... and then every 64th: a slow
                    // source is cut at once, a fast one pays almost nothing for the check.
                    if (n > 0 && ((n & (n - 1)) == 0 || (n & 63) == 0)
                            && System.nanoTime() - t0 > READ_BUDGET_NANOS) {
                        break;
                    }
                    if (!it.hasNext()) {
                        ended = true;
                        break;
                    }
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, (int) Math.min(max, 2L * n));
                    }
                    Object x = it.next(); // before n moves: `buf[n++] = it.next()` counts a throw
                    buf[n++] = x;
                }
            } catch (Throwable e) { // anything, even a checked exception thrown sneakily
                if (n == 0) {
                    ended = true;
                    throw new SourceFailure(e);
                }
                pending = e; // hand out what was read first; the failure comes at its own position
            }
            return n == 0 ? null : Chunk.ofArray(start, buf, n);
        }
    }
}
