package dev.parkit.internal;

/**
 * Picks how many items a runner claims at once.
 *
 * <p>Fixed when the user set a chunk size. Otherwise it measures the cost per item as chunks
 * complete and claims enough items for a chunk to take about {@link #TARGET_NANOS} (or the target it was given), so the
 * scheduling overhead per item stays near 1%, while slow items go one at a time. When the input
 * size is known it also caps a chunk at a quarter of each worker's share of what remains, so the
 * last chunks are small and workers finish together (guided self-scheduling).
 *
 * <p>Chunks that run elsewhere ({@link ChunkTask}) cost tens of milliseconds each beyond their
 * items (a cluster's job), so they are sized another way ({@link #remote}): each chunk's sample,
 * the items' time as measured where they ran, weighs as many items as it had, and a call of known
 * size is planned in whole rounds: every worker gets the same number of equal chunks, each within
 * the target, so the workers finish together without a tail of small chunks that would each pay
 * that cost. The plan is made again when the learned cost moves by a quarter. Chunks of many
 * cheap items ramp up to it in rounds too ({@link #RAMP_FIRST}), so that a failure among the first
 * items stops the call promptly, and the plan is made for what is left once the ramp no longer
 * holds it back.
 */
final class ChunkSizer {
    static final long TARGET_NANOS = 100_000;
    /**
     * Tiny items ({@link #tinyItems}) are checked for a stop every block of a few dozen whatever
     * the chunk, so their chunks may be longer: fewer chunks spend less of the call in the code
     * around a chunk, which in a fresh JVM still runs cold.
     */
    static final long TINY_TARGET_NANOS = 1_000_000;
    static final int MAX_AUTO = 1 << 14;
    /**
     * Remote chunks of many cheap items ramp up to the plan: after the first item, chunks of at
     * most 64 items, then 512, 4,096, ..., one chunk per worker at each size. A failure among the
     * first items then finds the other workers in small chunks, so few of their items start
     * before the cancel reaches them; items slow enough that the plan's chunks have 64 or fewer,
     * or that a chunk of the ramp's size takes {@link #RAMP_NANOS}, go straight to the plan, as
     * each extra chunk costs a cluster's job.
     */
    static final int RAMP_FIRST = 64;
    static final int RAMP = 8;
    /**
     * The ramp holds back only chunks of cheap items: once every chunk so far says that a chunk of
     * the ramp's size takes this long, fewer items than it has start before a cancel reaches them
     * (well within this), whatever the chunk's size, while each extra chunk costs a cluster's job
     * (a new function's 256 items of 50 ms: 3 jobs per executor with the ramp, 2 without). The
     * cheapest chunk so far decides, each timed from its first item's start
     * ({@link ChunkTask.Outcomes#nanos}): a first item that runs cold must not pass for a slow
     * one.
     */
    static final long RAMP_NANOS = 2_000_000_000L;

    private final int fixed;
    private final long targetNanos;
    /** Chunks that run elsewhere: sized in whole rounds ({@link #remote}). */
    private final boolean remote;
    // Benign races: a stale estimate only changes a chunk's size.
    private volatile double nanosPerItem = -1;
    /** Remote chunks: how many items the estimate stands on, the older fading. */
    private volatile double weight;
    /** Remote chunks: the lowest cost per item any chunk of the call measured. */
    private volatile double cheapest = Double.MAX_VALUE;
    /** Remote chunks: the ramp's largest chunk now, and how many chunks of that size have been handed out. */
    private long rampCap = RAMP_FIRST; // guarded by this
    private int rampClaims; // guarded by this
    /** Remote chunks of a known size: the planned chunk size, and the cost per item it was planned for. */
    private volatile long planned;
    private volatile double plannedNanosPerItem;
    /** True once a chunk of this call has finished: until then a learned cost is only a guess. */
    private volatile boolean measured;
    /** Remote chunks: what earlier calls measured per item, or -1; used until this call measures. */
    private final double learned;

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
        this(fixed, seedNanosPerItem, targetNanos, false, -1);
    }

    private ChunkSizer(int fixed, long seedNanosPerItem, long targetNanos, boolean remote, double learned) {
        this.fixed = fixed;
        this.targetNanos = targetNanos;
        this.nanosPerItem = seedNanosPerItem >= 0 ? seedNanosPerItem : -1;
        this.remote = remote;
        this.learned = learned;
    }

    /**
     * Sizes chunks that run elsewhere, whose {@link #record samples} are the items' time there.
     *
     * @param fixed the user's chunk size, or 0 to size chunks by measurement
     * @param targetNanos how long a chunk's items should take ({@link ChunkTask#chunkNanos})
     */
    static ChunkSizer remote(int fixed, long targetNanos) {
        return remote(fixed, -1, targetNanos);
    }

    /**
     * As {@link #remote(int, long)}, for a function whose items' cost there earlier calls
     * measured: a call of known size is planned from it at once, without a first round of one
     * item a chunk (a warm call of 8 cheap items is one chunk per worker), and the ramp still
     * holds back chunks of cheap items, so a failure among the first items stops the call as
     * promptly as in a new function's call.
     *
     * @param learnedNanosPerItem what earlier calls measured per item there, or -1
     */
    static ChunkSizer remote(int fixed, double learnedNanosPerItem, long targetNanos) {
        return new ChunkSizer(fixed, -1, targetNanos, true, learnedNanosPerItem >= 0 ? learnedNanosPerItem : -1);
    }

    /** @return the size of the next chunk, for {@code remaining} items left (-1: unknown) */
    int next(long remaining, int workers) {
        if (fixed == 0 && !measured) {
            if (learned < 0 || remaining <= 0) {
                return 1;
            }
            return remoteNext(remaining, workers, learned);
        }
        if (fixed == 0 && remote) {
            return remoteNext(remaining, workers, nanosPerItem);
        }
        long k = typical();
        if (fixed == 0 && remaining > 0) {
            k = Math.min(k, Math.max(1, remaining / (4L * workers)));
        }
        return (int) k;
    }

    /** Remote chunks, once measured: the plan (or the target's size), held back by the ramp. */
    private synchronized int remoteNext(long remaining, int workers, double npi) {
        long k = remaining > 0 ? inRounds(remaining, workers, npi) : typical();
        if (k <= rampCap || rampCap * Math.min(cheapest, npi) >= RAMP_NANOS) {
            return (int) k;
        }
        planned = 0; // planned again, for what is left, once the ramp no longer holds it back
        long cap = rampCap; // under k, so under what remains
        if (++rampClaims >= workers) { // a chunk of this size for each worker, then larger ones
            rampClaims = 0;
            rampCap = Math.min((long) MAX_AUTO, cap * RAMP);
        }
        return (int) cap;
    }

    /** Remote chunks of a known size: the planned size, planned again when the cost has moved. */
    private int inRounds(long remaining, int workers, double nanosPerItem) {
        double npi = Math.max(nanosPerItem, 1);
        long k = planned;
        double at = plannedNanosPerItem;
        if (k == 0 || npi > at * 1.25 || npi < at * 0.75) {
            k = Math.min(MAX_AUTO, ChunkTask.inWholeRounds(remaining, npi, workers, targetNanos));
            planned = k;
            plannedNanosPerItem = npi;
        }
        return (int) Math.min(k, remaining);
    }

    /** @return the chunk size now, before the end-of-input cap */
    int typical() {
        if (fixed > 0) {
            return fixed;
        }
        double npi = nanosPerItem;
        if (npi < 0) {
            return 1;
        }
        long target = !remote && npi < 2_000 ? Math.max(targetNanos, TINY_TARGET_NANOS) : targetNanos;
        return (int) Math.max(1, Math.min(MAX_AUTO, target / Math.max(npi, 1)));
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
        double sample = (double) nanos / items;
        double npi = nanosPerItem;
        if (remote) { // weighted by items: a one-item chunk must not outweigh one of many
            double w = 0.7 * weight;
            nanosPerItem = npi < 0 ? sample : (npi * w + sample * items) / (w + items);
            weight = Math.min(w + items, 1e9);
            cheapest = Math.min(cheapest, sample);
        } else {
            nanosPerItem = npi < 0 ? sample : 0.7 * npi + 0.3 * sample;
        }
        measured = true;
    }
}
