package dev.parkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A call's failed items, and the one place where the failure policy is applied: what a failure
 * cancels, and which failure ends the call.
 *
 * <p>Guarded by {@code this}: the collected list. {@code first} (the failure that ends the call,
 * the lowest index for {@link FailurePolicy#FAIL_AFTER}) is written under it and read without.
 */
final class Failures {
    private final Call call;
    private final FailurePolicy policy;
    private final List<ItemFailure> collected = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private volatile ItemFailure first;

    Failures(Call call, FailurePolicy policy) {
        this.call = call;
        this.policy = policy;
    }

    FailurePolicy policy() {
        return policy;
    }

    /** @return the failure that ends the call, or null */
    ItemFailure first() {
        return first;
    }

    long count() {
        return count.get();
    }

    /** @return the failures collected so far, by index ({@link FailurePolicy#COLLECT}) */
    List<ItemFailure> collected() {
        List<ItemFailure> list;
        synchronized (this) {
            list = new ArrayList<>(collected);
        }
        list.sort(Comparator.comparingLong(ItemFailure::index));
        return list;
    }

    /**
     * Records a failure and cancels what the policy says it cancels.
     *
     * @return false when it is a consequence of cancellation and is ignored
     */
    boolean record(ItemFailure f) {
        long from;
        synchronized (this) {
            if (policy == FailurePolicy.COLLECT) {
                if (call.stopped()) {
                    return false;
                }
                collected.add(f);
                count.incrementAndGet();
                return true;
            }
            if (!call.running() || f.index() >= call.cancelFrom()) {
                return false;
            }
            first = f;
            count.incrementAndGet();
            from = policy.cancelFrom(f.index());
            call.cancelFrom(from);
        }
        call.interruptFrom(from);
        call.consumer().wake();
        return true;
    }

    /**
     * The timeout monitor found item {@code index} over its time; called before it is interrupted.
     * The exception's text leaves the index out: the failure carries it, and a failure moved to
     * another index (a retry's) must not keep naming the old one.
     */
    void timedOut(long index, Object input, long timeoutNanos) {
        record(new ItemFailure(index, input, new TimeoutException("ran longer than the timeout of "
                + TimeoutMonitor.format(timeoutNanos)), ItemFailure.Kind.TIMEOUT));
    }
}
