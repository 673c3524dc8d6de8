package dev.parkit.internal;

/**
 * Runs one chunk's items in a runner's slot: the per-item loop, kept apart from the scheduling.
 *
 * <p>Without a timeout the interrupt handshake brackets the whole chunk (ParKit interrupts an
 * untimed item only to cancel it, and everything after it in the chunk is cancelled too), so a
 * tiny item costs no atomic operation at all; with a timeout it brackets each item, so a
 * timeout's interrupt can never reach the next item.
 */
final class ChunkWork {
    private ChunkWork() {}

    /** @return false when the runner was retired meanwhile (the chunk is then left alone) */
    static boolean run(Call call, Runner r, Chunk c) {
        Object state;
        try {
            state = r.slot.state();
        } catch (Throwable e) {
            failInitializer(call, c, e);
            return true;
        }
        boolean timed = call.timed();
        boolean batchDone = call.sizer().tinyItems();
        Failures failures = call.failureLog();
        long t0 = System.nanoTime();
        long unit = timed ? -1 : r.begin(c.start, null);
        int i = 0;
        int counted = 0;
        try {
            for (; i < c.size; i++) {
                long index = c.start + i;
                if (index >= call.cancelFrom()) {
                    break;
                }
                Object x = c.input(i);
                long seq = timed ? r.begin(index, x) : r.at(index, unit);
                Object out = null;
                Throwable error = null;
                try {
                    out = call.task().apply(state, x);
                } catch (Throwable e) {
                    if (e instanceof ThreadDeath death && !r.submitted) {
                        throw death; // JShell stopping the calling thread (or a nested caller): not an item's failure
                    }
                    error = e;
                }
                if (timed) {
                    r.end(seq);
                }
                if (r.retired) {
                    return false;
                }
                boolean timedOut = timed && r.timedOutSeq == seq;
                if (!timedOut && index >= call.cancelFrom()) {
                    break; // cancelled while it ran: neither a value nor a failure
                }
                if (timedOut || error != null) {
                    if (!timedOut && !failures.record(new ItemFailure(index, x, error, ItemFailure.Kind.FUNCTION))) {
                        break; // a consequence of cancellation
                    }
                    call.countDone(1);
                    counted++;
                    if (c.failedAt < 0) {
                        c.failedAt = i;
                    }
                    if (failures.policy() != FailurePolicy.COLLECT) {
                        i++;
                        break;
                    }
                } else {
                    c.out[c.outOffset + i] = out;
                    if (!batchDone) {
                        call.countDone(1);
                        counted++;
                    }
                }
            }
        } finally {
            if (!timed) {
                r.end(unit); // clears an interrupt that cancelled this chunk
            }
        }
        c.processed = i;
        if (counted < i) {
            call.countDone(i - counted); // tiny items: counted once per chunk, not one atomic add each
        }
        call.crew().countDoneBy(r.slot, i);
        long nanos = System.nanoTime() - t0;
        call.sizer().record(i, nanos);
        ItemCosts.learn(call.task().function(), i, nanos);
        return true;
    }

    /** The worker's state could not be made: each item of the chunk comes back as a failure. */
    private static void failInitializer(Call call, Chunk c, Throwable e) {
        failFrom(call, c, 0, e, ItemFailure.Kind.INITIALIZER);
    }

    /**
     * Items {@code from} on of the chunk could not run: each comes back as a failure (for a
     * failure policy that stops, the first of them), so none is silently lost.
     */
    static void failFrom(Call call, Chunk c, int from, Throwable e, ItemFailure.Kind kind) {
        Failures failures = call.failureLog();
        int i = from;
        for (; i < c.size && c.start + i < call.cancelFrom(); i++) {
            if (!failures.record(new ItemFailure(c.start + i, c.input(i), e, kind))) {
                break;
            }
            call.countDone(1);
            if (c.failedAt < 0) {
                c.failedAt = i;
            }
            if (failures.policy() != FailurePolicy.COLLECT) {
                i++;
                break;
            }
        }
        c.processed = i;
    }
}
