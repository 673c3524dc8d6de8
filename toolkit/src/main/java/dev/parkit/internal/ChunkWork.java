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

    /** @return false when the runner was dismissed meanwhile (the chunk is then left alone) */
    static boolean run(Call call, Runner r, Chunk c) {
        Object state;
        try {
            state = r.slot.state();
        } catch (Throwable e) {
            failInitializer(call, c, e);
            return true;
        }
        long t0 = System.nanoTime();
        if (call.task() instanceof ChunkTask remote) {
            int n = RemoteChunk.run(call, r, c, remote);
            if (n >= 0) {
                c.processed = n;
                call.crew().countDoneBy(r.slot, n);
            }
            return n >= 0;
        }
        boolean timed = call.timed();
        boolean tiny = !timed && call.sizer().tinyItems(); // a timed item is counted as it ends
        int i = timed ? timed(call, r, c, state) : tiny ? TinyItems.run(call, r, c, state) : untimed(call, r, c, state);
        if (i < 0) {
            return false;
        }
        c.processed = i;
        if (tiny) {
            call.countDone(i); // tiny items: counted once per chunk, not one atomic add each
        }
        call.crew().countDoneBy(r.slot, i);
        long nanos = System.nanoTime() - t0;
        call.learn(i, nanos);
        return true;
    }

    /** What the item in hand is before it has been read. */
    static final Object UNREAD = new Object();

    /**
     * The loop for a call without a timeout, for items of measured cost: one interruptible unit
     * for the whole chunk, with what the loop reads held in locals (a volatile read would
     * otherwise make it load them again). Before and after each item, a volatile read of the
     * cancel mark: no item at or past it starts, and one that ran while the call was cancelled
     * is neither a value nor a failure (a function that returns early when interrupted returns a
     * value that is not its answer). Where the runner is ({@link Runner#at}) is published before
     * each item, for interrupters.
     *
     * @return the items processed, or -1 when the runner was dismissed meanwhile
     */
    private static int untimed(Call call, Runner r, Chunk c, Object state) {
        Task task = call.task();
        Gate gate = call.gate();
        Object[] in = c.inputArray();
        java.util.List<?> list = c.inputList();
        int inOffset = c.inputOffset();
        Object[] out = c.out;
        int outOffset = c.outOffset;
        long start = c.start;
        int size = c.size;
        long unit = r.begin(start, null);
        int i = 0;
        try {
            while (i < size) {
                Object x = UNREAD;
                try {
                    for (; i < size; i++) {
                        long index = start + i;
                        if (!gate.mayStart(index)) {
                            return r.dismissed ? -1 : i;
                        }
                        r.at(index, unit);
                        x = UNREAD; // costs nothing: only the handler below reads it
                        x = in != null ? in[i] : list.get(inOffset + i);
                        Object y = task.apply(state, x);
                        if (!gate.keeps(index)) {
                            return r.dismissed ? -1 : i; // cancelled while it ran: the value may be the interrupt's
                        }
                        out[outOffset + i] = y;
                        call.countDone(1);
                    }
                } catch (Throwable e) {
                    rethrowStop(r, e);
                    if (r.dismissed) {
                        return -1;
                    }
                    Gate.Verdict v = failedWhileRunning(call, c, i, x, e, false);
                    if (v == Gate.Verdict.IGNORED) {
                        return i; // the throw is the cancellation's, or a consequence of it
                    }
                    i++;
                    if (v == Gate.Verdict.END_CHUNK) {
                        return i;
                    }
                }
            }
        } finally {
            r.end(unit); // clears an interrupt that cancelled this chunk
        }
        return i;
    }

    /** A ThreadDeath that JShell sends to stop the calling thread (or a nested caller) is not an item's failure. */
    static void rethrowStop(Runner r, Throwable e) {
        if (e instanceof ThreadDeath death && !r.submitted) {
            throw death;
        }
    }

    /**
     * Item {@code i}, which threw {@code e} while being read ({@code x} is then {@link #UNREAD})
     * or run, failed: the gate decides what that means.
     */
    static Gate.Verdict failedWhileRunning(Call call, Chunk c, int i, Object x, Throwable e, boolean counted) {
        boolean unread = x == UNREAD; // the list threw, not the function
        ItemFailure.Kind kind = unread ? ItemFailure.Kind.SOURCE : ItemFailure.Kind.FUNCTION;
        return failed(call, c, i, unread ? null : x, e, kind, counted);
    }

    /**
     * The loop for a call with a timeout: each item is its own interruptible unit, so a timeout's
     * interrupt can never reach the next item. An item that ignores its timeout's interrupt may be
     * abandoned ({@link #handOn}): the loop then leaves the chunk as soon as the item ends.
     *
     * @return the items processed, or -1 when the runner was dismissed meanwhile
     */
    private static int timed(Call call, Runner r, Chunk c, Object state) {
        Gate gate = call.gate();
        r.chunk = c; // published with each item's begin, for handOn
        int i = 0;
        for (; i < c.size; i++) {
            long index = c.start + i;
            if (!gate.mayStart(index)) {
                break;
            }
            Object x;
            try {
                x = c.input(i);
            } catch (Throwable e) { // the list threw: this item cannot be read, the others still run
                rethrowStop(r, e);
                Gate.Verdict v = failed(call, c, i, null, e, ItemFailure.Kind.SOURCE, false);
                if (v != Gate.Verdict.GO_ON) {
                    i += v == Gate.Verdict.END_CHUNK ? 1 : 0;
                    break;
                }
                continue;
            }
            long seq = r.begin(index, x);
            Object out = null;
            Throwable error = null;
            try {
                out = call.task().apply(state, x);
            } catch (Throwable e) {
                rethrowStop(r, e);
                error = e;
            } finally {
                r.end(seq);
            }
            if (r.dismissed) {
                return -1; // abandoned (handOn has the chunk) or dismissed by a stop: leave it alone
            }
            // A timeout was decided by the gate when the monitor found it, before its interrupt.
            Gate.Verdict v = r.timedOutSeq == seq ? r.timedOutVerdict
                    : error != null ? failed(call, c, i, x, error, ItemFailure.Kind.FUNCTION, false)
                    : gate.keeps(index) ? null : Gate.Verdict.IGNORED;
            if (v == Gate.Verdict.IGNORED) {
                break; // cancelled while it ran: neither a value nor a failure
            }
            if (v != null) {
                if (r.timedOutSeq == seq) {
                    counted(call, c, i);
                }
                if (v == Gate.Verdict.END_CHUNK) {
                    i++;
                    break;
                }
            } else {
                c.out[c.outOffset + i] = out;
                call.countDone(1);
            }
        }
        return i;
    }

    /**
     * Takes over the chunk of a runner just abandoned in an item that timed out and ignores its
     * interrupt ({@link Runner#abandon}), whose thread will not touch the call again: does what
     * {@link #timed} does when a timed-out item ends, and what the runner does when it leaves.
     * <ul>
     *   <li>The item counts as processed: the gate recorded its failure when it timed out
     *       (unless the call was cancelled at it: then it is neither).
     *   <li>The runner's slot is retired, so a fresh worker takes its place
     *       ({@link Engine#retire}); the stuck thread releases it when the item ends.
     *   <li>The items after it, if the call still wants any of them, go back to {@link Claims}
     *       as the chunk's {@link Chunk#rest}, which the next runner claims; completing the rest
     *       completes the chunk. Otherwise the chunk is complete now.
     *   <li>The runner leaves the call, and a runner is started for the rest.
     * </ul>
     * Each item stays in exactly one chunk that one runner owns, so none is lost or run twice.
     */
    static void handOn(Call call, Runner r) {
        Chunk c = r.chunk;
        int i = (int) (r.index - c.start);
        boolean recorded = r.timedOutVerdict != Gate.Verdict.IGNORED; // else cancelled at it: not processed
        if (recorded) {
            counted(call, c, i);
        }
        c.processed = recorded ? i + 1 : i;
        call.crew().countDoneBy(r.slot, c.processed);
        call.engine().retire(r.slot);
        if (recorded && i + 1 < c.size && call.gate().mayStart(c.start + i + 1)) {
            call.claims().handOn(c.rest(i + 1));
        } else {
            call.claims().complete(c);
        }
        call.leave(r);
        if (r.submitted) {
            call.crew().exited(); // starts a runner for the rest
        } else {
            call.crew().spawn();
        }
    }

    /**
     * Records item {@code i} of the chunk as failed.
     *
     * @param counted true when the chunk's items are counted at its end rather than one by one
     * @return false when the failure was not recorded, as a consequence of cancellation
     */
    static Gate.Verdict failed(Call call, Chunk c, int i, Object x, Throwable e, ItemFailure.Kind kind,
            boolean counted) {
        Gate.Verdict v = call.gate().failed(new ItemFailure(c.start + i, x, e, kind));
        if (v != Gate.Verdict.IGNORED) {
            if (!counted) {
                call.countDone(1);
            }
            if (c.failedAt < 0) {
                c.failedAt = i;
            }
        }
        return v;
    }

    /** Item {@code i}, whose failure the gate has recorded, counts as processed. */
    private static void counted(Call call, Chunk c, int i) {
        call.countDone(1);
        if (c.failedAt < 0) {
            c.failedAt = i;
        }
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
        int i = from;
        for (; i < c.size; i++) {
            Gate.Verdict v = failed(call, c, i, c.input(i), e, kind, false);
            if (v != Gate.Verdict.GO_ON) {
                i += v == Gate.Verdict.END_CHUNK ? 1 : 0;
                break;
            }
        }
        c.processed = i;
    }
}
