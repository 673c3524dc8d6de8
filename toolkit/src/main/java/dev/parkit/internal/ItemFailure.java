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

    /** Where a failure came from. */
    public enum Kind {
        /** The mapped function threw. */
        FUNCTION("failed"),
        /** The source threw while ParKit read the item from it. */
        SOURCE("could not be read from the source"),
        /** The item ran longer than the per-item timeout. */
        TIMEOUT("timed out"),
        /** The worker's initializer threw before the item could run. */
        INITIALIZER("could not run: the worker's initializer failed"),
        /** ParKit itself failed around the item: a bug, never silent. */
        ENGINE("could not run: ParKit failed (please report this)");

        private final String verb;

        Kind(String verb) {
            this.verb = verb;
        }

        /** @return how a message says it, e.g. "timed out" */
        public String verb() {
            return verb;
        }
    }
}
