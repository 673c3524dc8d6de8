package dev.parkit.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The per-item loop for tiny items (measured under about 2 us each) in a call without a
 * timeout, where per-item bookkeeping would show: blocks of {@value #BLOCK} items run by a loop
 * with nothing else in it, checked for cancellation between blocks.
 */
final class TinyItems {
    /**
     * A runner reads the cancel mark and tells interrupters where it is once per block of this
     * many items (a power of two).
     */
    static final int BLOCK = 64;

    private TinyItems() {}

    /**
     * Runs a chunk of tiny items as one interruptible unit, in blocks of {@value #BLOCK} items
     * run by {@link ItemLoop#block}, a loop as tight as a hand-written one (the checks around each item
     * that {@link ChunkWork} makes for items of measured cost made x*x 1.2x slower than that).
     * <ul>
     *   <li>Before each block, the cancel mark is read and where the runner is published for
     *       interrupters ({@link Runner#at}). Up to a block's items past the mark may then
     *       start; at the chunk's end or when a check finds the mark, the values of the items at
     *       or past it are dropped ({@link #kept}).
     *   <li>The published place is a lower bound, so an interrupt never reaches an item before
     *       the mark; the cost is that an item that turns out slow among tiny ones, within a
     *       block past the mark, runs to its end instead of being interrupted. A whole stop
     *       (mark 0) always interrupts.
     * </ul>
     *
     * @return the items processed, or -1 when the runner was dismissed meanwhile
     */
    static int run(Call call, Runner r, Chunk c, Object state) {
        Task task = call.task();
        Gate gate = call.gate();
        ItemLoop loop = ItemLoop.of(task); // this function's own copy of the loop (issue 20)
        Object[] in = c.inputArray();
        List<?> list = c.inputList();
        int inOffset = c.inputOffset();
        long start = c.start;
        int size = c.size;
        int[] at = {-1, -1};
        long unit = r.begin(start, null);
        int i = 0;
        try {
            while (i < size) {
                if (!gate.mayStart(start + i)) { // once per block: up to a block past the mark may start
                    return kept(gate, r, c, i);
                }
                r.at(start + i, unit);
                int end = Math.min(size, i + BLOCK);
                try {
                    loop.block(task, state, in, list, inOffset, c.out, c.outOffset, i, end, at);
                    i = end;
                } catch (Throwable e) {
                    i = at[0];
                    ChunkWork.rethrowStop(r, e);
                    if (r.dismissed) {
                        return -1;
                    }
                    Object x = in != null ? in[i] : at[1] == i ? reread(r, list, inOffset + i) : ChunkWork.UNREAD;
                    Gate.Verdict v = ChunkWork.failedWhileRunning(call, c, i, x, e, true);
                    if (v == Gate.Verdict.IGNORED) {
                        return kept(gate, r, c, i); // the throw is the cancellation's, or a consequence of it
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
        return kept(gate, r, c, i);
    }

    /** The item that the function failed on, read again for the failure's message; null if the list now throws. */
    private static Object reread(Runner r, List<?> list, int i) {
        try {
            return list.get(i);
        } catch (Throwable e) {
            ChunkWork.rethrowStop(r, e);
            return null;
        }
    }

    /**
     * How many of a tiny chunk's first {@code i} items ran to a value that is the function's
     * answer: those before the cancel mark now. An item before the mark is never interrupted
     * (interrupts reach only items at or past it, {@link Runner#at} being a lower bound) and the
     * mark only decreases, so those items are sound; the values of the others are dropped.
     *
     * @return that count, or -1 when the runner was dismissed meanwhile
     */
    private static int kept(Gate gate, Runner r, Chunk c, int i) {
        if (r.dismissed) {
            return -1;
        }
        int keep = gate.kept(c.start, i);
        Arrays.fill(c.out, c.outOffset + keep, c.outOffset + i, null);
        return keep;
    }
}
