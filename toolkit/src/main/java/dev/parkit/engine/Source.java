package dev.parkit.engine;

import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * Where a call's items come from. Read by one claiming worker at a time (under the call's lock).
 */
public abstract class Source {
    private Source() {}

    /** @return the number of items, or -1 when unknown */
    abstract long size();

    /**
     * Reads up to {@code max} items starting at position {@code start}.
     *
     * @return the chunk, or null when the source is exhausted
     * @throws RuntimeException what the source threw
     */
    abstract Chunk pull(long start, int max);

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
        return new Lazy(items.iterator(), size);
    }

    /**
     * @param it the items' iterator, read lazily
     * @param size the number of items, or -1 when unknown
     * @return the source
     */
    public static Source of(Iterator<?> it, long size) {
        return new Lazy(it, size);
    }

    private static final class Indexed extends Source {
        private final List<?> list;
        private final int size;

        Indexed(List<?> list) {
            this.list = list;
            this.size = list.size();
        }

        @Override
        long size() {
            return size;
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
        private RuntimeException pending;

        Lazy(Iterator<?> it, long size) {
            this.it = it;
            this.size = size;
        }

        @Override
        long size() {
            return size;
        }

        @Override
        Chunk pull(long start, int max) {
            if (pending != null) {
                RuntimeException e = pending;
                pending = null;
                throw e;
            }
            Object[] buf = new Object[max];
            int n = 0;
            try {
                while (n < max && it.hasNext()) {
                    Object x = it.next();
                    buf[n++] = x;
                }
            } catch (RuntimeException e) {
                if (n == 0) {
                    throw e;
                }
                pending = e; // hand out what was read first; the failure comes at its own position
            }
            return n == 0 ? null : Chunk.ofArray(start, buf, n);
        }
    }
}
