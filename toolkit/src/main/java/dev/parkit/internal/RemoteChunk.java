package dev.parkit.internal;

/**
 * The item loop's counterpart for a chunk that runs elsewhere ({@link ChunkTask}): kept apart
 * from {@link ChunkWork}'s local loops, and asking the same {@link Gate} of every outcome.
 */
final class RemoteChunk {
    private RemoteChunk() {}

    /**
     * The loop for a chunk that runs elsewhere ({@link ChunkTask}): one interruptible unit while
     * it runs there (a stop interrupts the waiting runner, and the task stops the remote work),
     * then each item's outcome goes through the gate as if it had run here: a value is kept only
     * below the cancel mark, a failure gets the failure policy's verdict, an item past the mark
     * is neither.
     *
     * @return the items processed, or -1 when the runner was dismissed meanwhile
     */
    static int run(Call call, Runner r, Chunk c, ChunkTask task) {
        int i = 0;
        while (i < c.size) {
            // The items as far as the source can give them: one it cannot is a failure of its own.
            Object[] items = new Object[c.size - i];
            int n = 0;
            Throwable unreadable = null;
            try {
                for (; n < items.length; n++) {
                    items[n] = c.input(i + n);
                }
            } catch (Throwable e) {
                ChunkWork.rethrowStop(r, e);
                unreadable = e;
            }
            if (n > 0) {
                int from = i;
                int ran = remoteRun(call, r, c, task, from, n == items.length ? items : java.util.Arrays.copyOf(items, n));
                if (ran < 0) {
                    return -1;
                }
                i += ran;
                if (ran < n || c.failedAt >= from && policyEnds(call)) {
                    return i;
                }
            }
            if (unreadable != null) {
                Gate.Verdict v = ChunkWork.failed(call, c, i, null, unreadable, ItemFailure.Kind.SOURCE, false);
                if (v == Gate.Verdict.IGNORED) {
                    return i;
                }
                i++;
                if (v == Gate.Verdict.END_CHUNK) {
                    return i;
                }
            }
        }
        return i;
    }

    /** @return true when a failure ends its chunk (every policy but collecting) */
    private static boolean policyEnds(Call call) {
        return call.mode != Mode.COLLECT;
    }

    /**
     * Runs items {@code from} on of the chunk remotely, and hands each outcome to the gate.
     *
     * @return the items processed, or -1 when the runner was dismissed meanwhile
     */
    private static int remoteRun(Call call, Runner r, Chunk c, ChunkTask task, int from, Object[] items) {
        Gate gate = call.gate();
        if (!gate.mayStart(c.start + from)) {
            return 0;
        }
        long first = c.start + from;
        int[] reported = {0}; // items counted while it ran, below the cancel mark (the bar's)
        ChunkTask.Outcomes o;
        long t0 = System.nanoTime();
        r.spanFirst = first;
        r.spanLast = first + items.length - 1; // published by begin
        long unit = r.begin(first, null);
        try {
            o = task.run(items, first, n -> {
                int add = Math.max(0, Math.min(n, items.length - reported[0]));
                if (add > 0 && gate.mayStart(first + reported[0])) { // else the end of a cancelled item
                    reported[0] += add;
                    call.countDone(add);
                    r.spanFirst = first + Math.min(reported[0], items.length - 1); // for a stopped call's message
                }
            });
        } catch (Throwable e) {
            ChunkWork.rethrowStop(r, e);
            if (r.dismissed) {
                return -1;
            }
            if (e instanceof InterruptedException || !gate.mayStart(first)) {
                call.countDone(-reported[0]);
                return 0; // cancelled: nothing of it is kept
            }
            int j = 0; // the items could not run there: each is a failure, as failFrom makes them
            for (; j < items.length; j++) {
                Gate.Verdict v = ChunkWork.failed(call, c, from + j, items[j], e, ItemFailure.Kind.REMOTE, false);
                if (v != Gate.Verdict.GO_ON) {
                    j += v == Gate.Verdict.END_CHUNK ? 1 : 0;
                    break;
                }
            }
            return j;
        } finally {
            r.end(unit);
        }
        if (r.dismissed) {
            return -1;
        }
        int i = 0;
        for (; i < o.ran(); i++) {
            long index = c.start + from + i;
            if (!gate.mayStart(index)) {
                break; // ran past the cancel mark there: neither a value nor a failure
            }
            Throwable e = o.errors()[i];
            if (e == null) {
                c.out[c.outOffset + from + i] = o.values()[i];
                continue;
            }
            Gate.Verdict v = o.timedOut()[i] ? gate.timedOut(index, items[i], task.timeoutNanos())
                    : gate.failed(new ItemFailure(index, items[i], e, ItemFailure.Kind.FUNCTION));
            if (v == Gate.Verdict.IGNORED) {
                break;
            }
            if (c.failedAt < 0) {
                c.failedAt = from + i;
            }
            if (v == Gate.Verdict.END_CHUNK) {
                i++;
                break;
            }
        }
        call.countDone(i - reported[0]); // the rest (or fewer: what ran past the mark there is not done)
        long wall = System.nanoTime() - t0;
        call.learn(Math.max(1, i), o.nanos() >= 0 ? o.nanos() : wall); // the items' time there, if known
        return i;
    }

}
