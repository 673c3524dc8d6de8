package dev.parkit.engine;

import java.util.List;

/** A run of consecutive items claimed by one worker, with their results. */
final class Chunk {
    final long start;
    final int size;
    private final Object[] in;
    private final List<?> list;
    private final int offset;
    final Object[] out;
    /** Items processed (succeeded, failed or timed out); the rest were cancelled. */
    int processed;
    /** Position of the first failed item in this chunk, or -1. */
    int failedAt = -1;
    boolean finished;
    /** Items processed so far, published per item only when a timeout is set. */
    volatile int progress;

    private Chunk(long start, int size, Object[] in, List<?> list, int offset) {
        this.start = start;
        this.size = size;
        this.in = in;
        this.list = list;
        this.offset = offset;
        this.out = new Object[size];
    }

    static Chunk ofArray(long start, Object[] in, int size) {
        return new Chunk(start, size, in, null, 0);
    }

    static Chunk ofList(long start, List<?> list, int offset, int size) {
        return new Chunk(start, size, null, list, offset);
    }

    Object input(int i) {
        return in != null ? in[i] : list.get(offset + i);
    }
}
