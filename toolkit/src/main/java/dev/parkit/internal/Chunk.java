package dev.parkit.internal;

import java.util.Arrays;
import java.util.List;

/**
 * A run of consecutive items that one runner claims, with their results.
 *
 * <p>Written by its runner while it runs; read by the receiver only after {@link #finished} is
 * set (a volatile write that publishes everything before it). When its runner is abandoned in an
 * item that ignores its timeout, the chunk passes to the thread that abandoned it, and its
 * {@link #rest} to whichever runner claims that ({@link ChunkWork#handOn}).
 */
final class Chunk {
    final long start;
    final int size;
    private final Object[] in;
    private final List<?> list;
    private final int offset;
    /** Where the results go: at {@code outOffset}, in the call's one results array or a chunk's own. */
    Object[] out;
    int outOffset;
    /** Items processed (a value or a failure); the rest were cancelled. Set before finished. */
    int processed;
    /** Position of the first failed item in this chunk, or -1. */
    int failedAt = -1;
    volatile boolean finished;
    /** The chunk whose {@link #rest} this is, or null for a chunk claimed from the source. */
    final Chunk whole;

    private Chunk(long start, int size, Object[] in, List<?> list, int offset, Chunk whole) {
        this.start = start;
        this.size = size;
        this.in = in;
        this.list = list;
        this.offset = offset;
        this.whole = whole;
    }

    static Chunk ofArray(long start, Object[] in, int size) {
        return new Chunk(start, size, in, null, 0, null);
    }

    static Chunk ofList(long start, List<?> list, int offset, int size) {
        return new Chunk(start, size, null, list, offset, null);
    }

    /**
     * The items from position {@code from} on, as a chunk that another runner can claim: it reads
     * the same inputs, writes its results into this chunk's places, and completing it completes
     * this chunk ({@link Claims#complete}). Never delivered by itself.
     */
    Chunk rest(int from) {
        Chunk r = in != null
                ? new Chunk(start + from, size - from, Arrays.copyOfRange(in, from, size), null, 0, this)
                : new Chunk(start + from, size - from, null, list, offset + from, this);
        r.out = out;
        r.outOffset = outOffset + from;
        return r;
    }

    /** Results go into {@code results} from {@code offset}, or into an array of their own when null. */
    void resultsInto(Object[] results, int offset) {
        out = results != null ? results : new Object[size];
        outOffset = results != null ? offset : 0;
    }

    Object result(int i) {
        return out[outOffset + i];
    }

    /** @return the items' own array (read from position 0), or null when they are read from a list */
    Object[] inputArray() {
        return in;
    }

    /** @return the list the items are read from, from {@link #inputOffset()}, or null */
    List<?> inputList() {
        return list;
    }

    int inputOffset() {
        return offset;
    }

    Object input(int i) {
        return in != null ? in[i] : list.get(offset + i);
    }

    boolean contains(long index) {
        return index >= start && index < start + size;
    }
}
