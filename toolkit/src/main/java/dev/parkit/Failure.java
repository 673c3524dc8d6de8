package dev.parkit;

import dev.parkit.util.Text;
import java.util.Objects;

/**
 * One item that failed: its position in the input, the input itself, what was thrown and where.
 *
 * <p>The index is the only place a failure's position is kept: messages that name the item
 * ({@link #toString()}, {@link ParException}) are built from it, so a failure moved to another
 * index (as {@link MapResult#retry} moves the failures of its sub-call back to the original
 * positions) names its new index everywhere.
 *
 * @param index the item's 0-based position in the input
 * @param input the item (null when the source failed before producing it)
 * @param error what the function (or the source, or the timeout) threw
 * @param origin where the failure came from; {@link Origin#SOURCE} means the input is unknown
 * @param <T> the input type
 */
public record Failure<T>(long index, T input, Throwable error, Origin origin) {

    /** Where a failure came from. */
    public enum Origin {
        /** The mapped function threw. */
        FUNCTION("failed"),
        /** The source threw while ParKit read the item from it: the input is unknown (null). */
        SOURCE("could not be read from the source"),
        /** The item ran longer than the per-item timeout ({@link Options#timeout}). */
        TIMEOUT("timed out"),
        /** The worker's initializer threw before the item could run. */
        INITIALIZER("could not run: the worker's initializer failed"),
        /**
         * The item was sent elsewhere to run (a cluster) and could not run there: the job that
         * carried it failed before the function ran, e.g. an executor could not load a class the
         * function needs. The error says why.
         */
        REMOTE("could not run where it was sent"),
        /** ParKit itself failed around the item: a bug, never silent. */
        ENGINE("could not run: ParKit failed (please report this)");

        private final String verb;

        Origin(String verb) {
            this.verb = verb;
        }

        /** How a message says it, e.g. {@code "timed out"}. */
        String verb() {
            return verb;
        }
    }

    /**
     * Checks the error and the origin are present.
     *
     * @throws NullPointerException if {@code error} or {@code origin} is null
     */
    public Failure {
        Objects.requireNonNull(error, "error must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
    }

    /**
     * A failure of the mapped function ({@link Origin#FUNCTION}).
     *
     * @param index the item's 0-based position in the input
     * @param input the item
     * @param error what the function threw
     * @throws NullPointerException if {@code error} is null
     */
    public Failure(long index, T input, Throwable error) {
        this(index, input, error, Origin.FUNCTION);
    }

    /**
     * @param newIndex the position to name
     * @return this failure at {@code newIndex}, with the same input, error and origin
     */
    Failure<T> at(long newIndex) {
        return new Failure<>(newIndex, input, error, origin);
    }

    @Override
    public String toString() {
        return "item " + index + " (" + Text.preview(input) + "): " + Text.describe(error);
    }
}
