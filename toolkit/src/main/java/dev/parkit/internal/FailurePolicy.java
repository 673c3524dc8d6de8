package dev.parkit.internal;

/** What a failed item cancels: the one place that decides it. */
enum FailurePolicy {
    /** {@code pmap}, {@code pimapUnordered}: everything; the call fails at once. */
    FAIL_FAST,
    /** {@code pimap}: the items after it; every earlier result is still delivered. */
    FAIL_AFTER,
    /** {@code pmapCollect}: nothing; every item comes back as a value or a failure. */
    COLLECT;

    /** @return the first index that must not start once item {@code failed} has failed */
    long cancelFrom(long failed) {
        return switch (this) {
            case FAIL_FAST -> 0;
            case FAIL_AFTER -> failed + 1;
            case COLLECT -> Long.MAX_VALUE;
        };
    }
}
