package dev.parkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that decides, for one call, whether an item may start and what its ending means.
 * Every place where items run asks it: a pooled worker's chunk loop, the tight loop for tiny
 * items, a chunk handed on past an abandoned item, the source reader, and (next) a cluster
 * executor's slice. Interrupts, closes, timeouts and failures are each decided here, once.
 *
 * <h2>Overview</h2>
 *
 * <p>The life of a call:
 * <pre>
 *   RUNNING --finish()--------------------------> DONE      every item came back and the caller has them
 *   RUNNING --stop(why)-------------------------> STOPPED   a failure the policy does not carry past,
 *                                                           an interrupt, a close of the stream or pool
 * </pre>
 * Both moves are compare-and-set, once, never back. A stop lowers the cancel mark to 0.
 *
 * <p>The life of an item at index {@code i}:
 * <pre>
 *   may it start?   {@link #mayStart}(i): i is below the cancel mark
 *   it returned y   {@link #keeps}(i): y is its answer only if i is still below the mark (a function
 *                   that returns early when interrupted returns a value that is not its answer)
 *   it threw e      {@link #failed}: IGNORED (the throw is the cancellation's: i is at or past the
 *                   mark, or the call is over), GO_ON (recorded; the chunk's next item may start:
 *                   pmapCollect), or END_CHUNK (recorded; the mark moved per the policy)
 *   it timed out    {@link #timedOut}: a failure like any other, decided before its interrupt
 * </pre>
 *
 * <p>The cancel mark only decreases. The {@link FailurePolicy} says where a failure puts it:
 * {@code pmap} and {@code pimapUnordered} at 0 (everything), {@code pimap} just past the failed
 * item (every earlier result is still delivered), {@code pmapCollect} nowhere. Whoever lowers it
 * then has the {@link Effects} interrupt the items at or past it and wake the caller, outside the
 * lock.
 *
 * <p>A loop for tiny items asks {@link #mayStart} once per block of 64, not per item: up to a
 * block past the mark may then start, and it drops their values by {@link #keeps}; see
 * {@link TinyItems}.
 *
 * <p>Guarded by {@code this}: the collected failures and the writes of {@code cancelFrom} and
 * {@code first}. {@code state}, {@code stop}, {@code cancelFrom} and {@code first} are read
 * without it. Nothing calls out while holding it.
 */
final class Gate {
    /** Why a call stopped before its end. */
    enum Stop { FAILED, INTERRUPTED, CLOSED, POOL_CLOSED, ABORTED }

    /** What a failed item means for the chunk it is in. */
    enum Verdict {
        /** The throw is the cancellation's, or a consequence of it: not a failure, not counted. */
        IGNORED,
        /** Recorded; the chunk goes on with its next item. */
        GO_ON,
        /** Recorded; the chunk ends after this item. */
        END_CHUNK
    }

    /** What a lowered cancel mark or a stop sets off, outside the gate's lock. */
    interface Effects {
        /** Items at or past {@code from} must be interrupted, and the caller woken. */
        void cancelled(long from);

        /** The call stopped: timeouts and workers waiting for a slot must let go. */
        void stopped();
    }

    private enum State { RUNNING, DONE, STOPPED }

    private final FailurePolicy policy;
    private final Effects effects;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile Stop stop;
    private volatile long cancelFrom = Long.MAX_VALUE;
    private volatile ItemFailure first;
    private final AtomicLong failed = new AtomicLong();
    private final List<ItemFailure> collected = new ArrayList<>();

    Gate(FailurePolicy policy, Effects effects) {
        this.policy = policy;
        this.effects = effects;
    }

    // ---- items ----

    /** @return true if item {@code index} may start: it is below the cancel mark */
    boolean mayStart(long index) {
        return index < cancelFrom;
    }

    /** @return true if the value item {@code index} returned is its answer, to keep */
    boolean keeps(long index) {
        return index < cancelFrom;
    }

    /**
     * @return how many of the {@code n} items from {@code start}, run without a check between
     *     them, keep their values: those before the cancel mark (the others ran past it)
     */
    int kept(long start, int n) {
        return (int) Math.max(0, Math.min(n, cancelFrom - start));
    }

    /** @return the cancel mark: no item at or past it starts */
    long cancelFrom() {
        return cancelFrom;
    }

    /**
     * Decides what item {@code f.index()}'s failure means, and records it unless it is a
     * consequence of cancellation.
     */
    Verdict failed(ItemFailure f) {
        long from;
        synchronized (this) {
            if (state.get() != State.RUNNING || f.index() >= cancelFrom) {
                return Verdict.IGNORED;
            }
            failed.incrementAndGet();
            if (policy == FailurePolicy.COLLECT) {
                collected.add(f);
                return Verdict.GO_ON;
            }
            first = f;
            from = policy.cancelFrom(f.index());
            cancelFrom = Math.min(cancelFrom, from);
        }
        effects.cancelled(from);
        return Verdict.END_CHUNK;
    }

    /** Item {@code index} ran longer than {@code timeoutNanos}; decided before it is interrupted. */
    Verdict timedOut(long index, Object input, long timeoutNanos) {
        return failed(new ItemFailure(index, input, new TimeoutException("ran longer than the timeout of "
                + TimeoutMonitor.format(timeoutNanos)), ItemFailure.Kind.TIMEOUT));
    }

    // ---- the call ----

    /** Stops the call: no item starts from now on. @return false if it was already over */
    boolean stop(Stop why) {
        if (!state.compareAndSet(State.RUNNING, State.STOPPED)) {
            return false;
        }
        stop = why;
        synchronized (this) {
            cancelFrom = 0;
        }
        effects.cancelled(0);
        effects.stopped();
        return true;
    }

    /** The caller has every result. @return false if the call was already over */
    boolean finish() {
        return state.compareAndSet(State.RUNNING, State.DONE);
    }

    boolean running() {
        return state.get() == State.RUNNING;
    }

    boolean stopped() {
        return state.get() == State.STOPPED;
    }

    /** @return why the call stopped, or null */
    Stop stopReason() {
        return stop;
    }

    /** @return the failure that ends the call, or null */
    ItemFailure first() {
        return first;
    }

    /** @return how many items have failed so far */
    long failedCount() {
        return failed.get();
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
}
