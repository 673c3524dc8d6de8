package dev.parkit.progress;

import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of a task's progress: what the renderers draw.
 *
 * <p>A state holds counts and a duration, never a clock, so {@link TextRenderer} and
 * {@link HtmlRenderer} are pure functions of it. {@code label} and {@code detail} may be null;
 * {@code status} may not.
 *
 * @param label what is being done, shown before the bar; null or empty for none
 * @param done how many items are finished, {@code >= 0}; may exceed {@code total}
 * @param total how many items there are, or {@link #UNKNOWN_TOTAL}
 * @param elapsedNanos time since the task started, {@code >= 0}
 * @param status whether the task is still running, and if not, how it ended
 * @param detail an optional line about the outcome, e.g. which item failed and why; may be null
 * @param workers what the workers are doing, for a parallel call; null for a plain loop
 */
public record ProgressState(
        String label, long done, long total, long elapsedNanos, Status status, String detail, Workers workers) {

    /**
     * The workers of a parallel call, which a sequential progress bar cannot show.
     *
     * @param busy how many workers are inside an item now
     * @param of how many workers the call may use
     * @param donePerWorker items each worker has finished, in the order the workers started
     * @param failed items that failed so far ({@code pmapCollect} carries on past them)
     */
    public record Workers(int busy, int of, List<Long> donePerWorker, long failed) {
        /** Copies the list. */
        public Workers {
            donePerWorker = List.copyOf(donePerWorker);
        }
    }

    /**
     * A state without worker details.
     *
     * @param label what is being done; may be null
     * @param done items finished, {@code >= 0}
     * @param total items in all, {@code >= 0}, or {@link #UNKNOWN_TOTAL}
     * @param elapsedNanos time since the start, {@code >= 0}
     * @param status running, or how it ended
     * @param detail a line about the outcome; may be null
     */
    public ProgressState(String label, long done, long total, long elapsedNanos, Status status, String detail) {
        this(label, done, total, elapsedNanos, status, detail, null);
    }

    /** The {@code total} of a task whose size is not known in advance. */
    public static final long UNKNOWN_TOTAL = -1;

    /** Where a task is in its life: running, or one of three final outcomes. */
    public enum Status {
        /** Still going; the only non-final status. */
        RUNNING,
        /** Finished normally. */
        DONE,
        /** Stopped by an error. */
        FAILED,
        /** Stopped before the end without an error of its own: cancelled or interrupted. */
        INTERRUPTED
    }

    /**
     * Checks the numbers and the status.
     *
     * @param label what is being done; may be null
     * @param done items finished, {@code >= 0}
     * @param total items in all, {@code >= 0}, or {@link #UNKNOWN_TOTAL}
     * @param elapsedNanos time since the start, {@code >= 0}
     * @param status running, or how it ended
     * @param detail a line about the outcome; may be null
     * @throws IllegalArgumentException if {@code done < 0}, {@code total < -1} or
     *     {@code elapsedNanos < 0}
     * @throws NullPointerException if {@code status} is null
     */
    public ProgressState {
        if (done < 0) {
            throw new IllegalArgumentException("done must be >= 0, got " + done);
        }
        if (total < UNKNOWN_TOTAL) {
            throw new IllegalArgumentException(
                    "total must be >= 0, or -1 when unknown, got " + total);
        }
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("elapsedNanos must be >= 0, got " + elapsedNanos);
        }
        Objects.requireNonNull(status, "status must not be null");
    }

    /** @return true when {@code total} is known (not {@link #UNKNOWN_TOTAL}) */
    public boolean isTotalKnown() {
        return total != UNKNOWN_TOTAL;
    }

    /** @return true for every status but {@link Status#RUNNING} */
    public boolean isFinal() {
        return status != Status.RUNNING;
    }
}
