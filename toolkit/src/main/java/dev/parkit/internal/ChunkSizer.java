package dev.parkit.internal;

/**
 * Picks how many items a runner claims at once.
 *
 * <p>Fixed when the user set a chunk size. Otherwise it measures the cost per item as chunks
 * complete and claims enough items for a chunk to take about {@link #TARGET_NANOS} (or the target it was given), so the
 * scheduling overhead per item stays near 1%, while slow items go one at a time. When the input
 * size is known it also caps a chunk at a quarter of each worker's share of what remains, so the
 * last chunks are small and workers finish together (guided self-scheduling).
 */
final class ChunkSizer {
    static final long TARGET_NANOS = 100_000;
    static final int MAX_AUTO = 1 << 14;

    private final int fixed;
    private final long targetNanos;
    // Benign races: a stale estimate only changes a chunk's size.
    private volatile double nanosPerItem = -1;
    /** True once a chunk of this call has finished: until then a learned cost is only a guess. */
    private volatile boolean measured;

    ChunkSizer(int fixed) {
        this(fixed, -1, TARGET_NANOS);
    }

    /**
     * @param fixed the user's chunk size, or 0 to size chunks by measurement
     * @param seedNanosPerItem what an earlier call measured per item of the same function, or -1;
     *     the call's first chunks still take one item each (a function's cost can change between
     *     calls: a memoised fetch is tiny on a hit and slow on a miss), and the first measurement
     *     is blended with it
     * @param targetNanos how long a chunk should take: {@link #TARGET_NANOS} here, longer for
     *     chunks that run elsewhere ({@link ChunkTask#chunkNanos})
     */
    ChunkSizer(int fixed, long seedNanosPerItem, long targetNanos) {
        this.fixed = fixed;
        this.targetNanos = targetNanos;
        this.nanosPerItem = seedNanosPerItem >= 0 ? seedNanosPerItem : -1;
    }

    /** @return the size of the next chunk, for {@code remaining} items left (-1: unknown) */
    int next(long remaining, int workers) {
        if (fixed == 0 && !measured) {
            return 1;
        }
        long k = typical();
        if (fixed == 0 && remaining > 0) {
            k = Math.min(k, Math.max(1, remaining / (4L * workers)));
        }
        return (int) k;
    }

    /** @return the chunk size now, before the end-of-input cap */
    int typical() {
        if (fixed > 0) {
            return fixed;
        }
        double npi = nanosPerItem;
        return npi < 0 ? 1 : (int) Math.max(1, Math.min(MAX_AUTO, targetNanos / Math.max(npi, 1)));
    }

    /** @return true when items take under about 2 us each: per-item bookkeeping would show */
    boolean tinyItems() {
        double npi = nanosPerItem;
        return npi >= 0 && npi < 2_000;
    }

    void record(int items, long nanos) {
        if (items <= 0) {
            return;
        }
        measured = true;
        double sample = (double) nanos / items;
        double npi = nanosPerItem;
        nanosPerItem = npi < 0 ? sample : 0.7 * npi + 0.3 * sample;
    }
}
