package dev.parkit.internal;

import java.util.function.IntConsumer;

/**
 * A task that runs a whole chunk somewhere else, such as on a cluster's executors: the one seam
 * through which work leaves this JVM. The call is an ordinary {@link Call}: its runners claim
 * chunks through {@link Claims} (so a lazy call reads its source in bounded windows), and each
 * runner hands its chunk to {@link #run} and waits. What comes back goes through the call's
 * {@link Gate} item by item ({@link RemoteChunk#run}), exactly as items run here: the same
 * failure policy, deliveries, messages and progress. Only where items run differs.
 *
 * <p>Promises that hold remotely only as far as the remote side keeps them: no item starts once
 * the call is cancelled (the remote side is told at once, and stops its items; an item it had
 * already started may still run there, but its outcome is not kept); a per-item timeout
 * ({@link #timeoutNanos}) is enforced on the remote side.
 */
public interface ChunkTask extends Task {
    /**
     * Runs the items of one chunk remotely and waits for them.
     *
     * @param items the chunk's items, in order
     * @param first the index of the first of them in the call
     * @param progress told how many more items have finished remotely, while the chunk runs (for
     *     the progress bar; it may be told less than {@code ran}, never more)
     * @return each item's outcome
     * @throws InterruptedException if the waiting thread is interrupted (the call was cancelled):
     *     the remote work has then been told to stop
     * @throws Exception if the chunk could not run at all: each of its items fails with it
     */
    Outcomes run(Object[] items, long first, IntConsumer progress) throws Exception;

    /** @return the longest an item may run on the remote side, or 0 for no limit */
    long timeoutNanos();

    /**
     * @return how long a chunk's items should take where they run, when the user set no chunk
     *     size: the first chunks take one item each, and once the items' cost is known (from
     *     {@link Outcomes#nanos}), a call of known size is planned in whole rounds of equal chunks,
     *     each within this time, and one of unknown size takes chunks of about this time
     */
    long chunkNanos();

    /**
     * @return what an item of this function cost where earlier calls' chunks ran, per item, or -1
     *     when it is not known: a call of known size then plans its chunks from it at once (still
     *     ramping them up over cheap items), instead of starting at one item a chunk
     */
    default double learnedNanosPerItem() {
        return -1;
    }

    /**
     * How chunks that run elsewhere are cut when their items' cost is known: as few whole rounds of
     * one chunk per worker as keep each chunk within {@code chunkNanos}, so the workers finish
     * together without a tail of small chunks that would each pay the cost of getting there.
     *
     * @param n the items to cut, > 0
     * @param nanosPerItem what an item costs where it runs
     * @param workers the chunks that run at once
     * @param chunkNanos the longest a chunk should take
     * @return the items per chunk, >= 1
     */
    static long inWholeRounds(long n, double nanosPerItem, int workers, long chunkNanos) {
        long rounds = Math.max(1, (long) Math.ceil(n * nanosPerItem / ((double) workers * chunkNanos)));
        return Math.max(1, (n + rounds * workers - 1) / (rounds * workers));
    }

    /** Not used: a chunk task runs whole chunks ({@link #run}). */
    @Override
    default Object apply(Object state, Object item) {
        throw new UnsupportedOperationException("a ChunkTask runs whole chunks");
    }

    /**
     * What a chunk's items came to: {@code values[i]} for item {@code first + i}, or
     * {@code errors[i]} if it threw ({@code timedOut[i]} if it ran longer than the timeout). Only
     * the first {@code ran} items ran (the rest were stopped, as after a failure that ends the
     * chunk).
     *
     * @param values the values
     * @param errors the failures, null where an item succeeded
     * @param timedOut true where an item ran over the timeout
     * @param ran how many items ran
     * @param nanos how long the items took there, measured there (without getting there and back),
     *     or -1 when unknown: the engine learns the items' cost from it
     */
    record Outcomes(Object[] values, Throwable[] errors, boolean[] timedOut, int ran, long nanos) {}
}
