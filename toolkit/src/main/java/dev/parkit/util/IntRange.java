package dev.parkit.util;

import java.util.AbstractList;
import java.util.RandomAccess;

/** The integers {@code from} (inclusive) to {@code to} (exclusive), as an unmodifiable list. */
public final class IntRange extends AbstractList<Integer> implements RandomAccess {
    private final int from;
    private final int size;

    /**
     * @param from the first value
     * @param to one past the last value
     * @throws IllegalArgumentException if {@code to < from}, or if the range has more items than
     *     a list can hold ({@link Integer#MAX_VALUE})
     */
    public IntRange(int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("range end must be >= start, got range(" + from + ", " + to + ")");
        }
        long size = (long) to - from;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range(" + from + ", " + to + ") has " + size
                    + " items, more than a list can hold (" + Integer.MAX_VALUE + "); split it into smaller ranges");
        }
        this.from = from;
        this.size = (int) size;
    }

    @Override
    public Integer get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " out of range of size " + size);
        }
        return from + index;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "range(" + from + ", " + (from + size) + ")";
    }
}
