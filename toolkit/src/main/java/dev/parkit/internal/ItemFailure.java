package dev.parkit.internal;

/**
 * What went wrong with one item.
 *
 * @param index the item's 0-based position
 * @param input the item (null when the source failed before producing it)
 * @param error what was thrown
 * @param kind where it was thrown
 */
public record ItemFailure(long index, Object input, Throwable error, Kind kind) {

    /** Where a failure came from; the public {@code Failure.Origin} says it in messages. */
    public enum Kind {
        /** The mapped function threw. */
        FUNCTION,
        /** The source threw while ParKit read the item from it. */
        SOURCE,
        /** The item ran longer than the per-item timeout. */
        TIMEOUT,
        /** The worker's initializer threw before the item could run. */
        INITIALIZER,
        /** The item was sent elsewhere to run and could not run there ({@link ChunkTask}). */
        REMOTE,
        /** ParKit itself failed around the item: a bug, never silent. */
        ENGINE
    }
}
