package dev.parkit;

import dev.parkit.util.Text;

/**
 * Thrown by the map functions when an item fails: the message names the item's index and a short
 * form of its value, and the cause is what the function threw, with its own stack trace.
 *
 * <p>By the time it is thrown the remaining items are cancelled (for {@code pimap}, the ones
 * after the failing item) and no new item starts.
 */
public final class ParException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Failure<?> failure;

    /**
     * The exception for a failed item, as a map call throws it (for backends that run items
     * elsewhere, such as a cluster): the message names the item's index and value and says how it
     * failed, e.g. {@code item 3 (3) timed out: ...}.
     *
     * @param failure the failed item
     * @throws NullPointerException if {@code failure} is null
     */
    public ParException(Failure<?> failure) {
        super("item " + failure.index() + " (" + Text.preview(failure.input()) + ") " + failure.origin().verb()
                + ": " + Text.describe(failure.error()), failure.error());
        this.failure = failure;
    }

    /** @return the failing item's 0-based index in the input */
    public long index() {
        return failure.index();
    }

    /** @return the failing item itself (null when the source failed before producing it) */
    public Object input() {
        return failure.input();
    }

    /** @return the failure: index, input and error */
    public Failure<?> failure() {
        return failure;
    }
}
