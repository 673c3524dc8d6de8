package dev.parkit.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claim side of a call's scheduler: hands runners chunks read from the source, within the
 * lazy deliveries' window, and knows when every claimed chunk is back.
 *
 * <p>Invariants: {@code claimed} and {@code exhausted} change only under the claim lock, which
 * only runners take, while reading the source; {@code claimed - delivered} stays within the
 * window; a source failure is recorded before {@code exhausted} is set, and a chunk is delivered
 * before {@code outstanding} counts it back, so a consumer that sees the end sees everything.
 * The claim lock is a monitor, so even an asynchronous stop releases it.
 */
final class Claims {
    static final int WINDOW_ITEMS_PER_WORKER = 4096;

    private final Call call;
    private final Source source;
    private final ChunkSizer sizer;
    private final boolean windowed;
    private final Object lock = new Object();
    private volatile long claimed;
    private volatile boolean exhausted;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();

    Claims(Call call, Source source, ChunkSizer sizer, boolean windowed) {
        this.call = call;
        this.source = source;
        this.sizer = sizer;
        this.windowed = windowed;
        this.exhausted = source.size() == 0;
    }

    /** @return true when a runner could claim a chunk now */
    boolean claimable() {
        return call.running() && !exhausted && claimed < call.cancelFrom() && claimed - delivered.get() < window();
    }

    private long window() {
        if (!windowed) {
            return Long.MAX_VALUE;
        }
        long perWorker = Math.min(WINDOW_ITEMS_PER_WORKER, Math.max(8, 2L * sizer.typical()));
        return call.workers() * perWorker;
    }

    /** @return the items not yet claimed, or -1 when the source's size is unknown */
    long itemsLeft() {
        long size = source.size();
        return size >= 0 ? Math.max(0, size - claimed) : -1;
    }

    /** The consumer has taken {@code n} more results of a lazy delivery: the window moves on. */
    void delivered(long n) {
        delivered.addAndGet(n);
    }

    /**
     * @return true when every claimed item is processed and the source is exhausted. Every
     *     failure is recorded before this can turn true, so read the failures after it.
     */
    boolean allProcessed() {
        return exhausted && outstanding.get() == 0;
    }

    /**
     * The next chunk for a runner, or null when there is nothing to claim now. Reading the source
     * counts as an item for interrupts, not for timeouts: a runner blocked in a source (a queue's
     * take) is interrupted when the call stops, and retired if it ignores that, but waiting for an
     * item to arrive is not the item's time.
     */
    Chunk claim(Runner r) {
        if (!claimable()) {
            return null;
        }
        synchronized (lock) {
            if (!claimable()) {
                return null;
            }
            long size = source.size();
            long k = sizer.next(size >= 0 ? size - claimed : -1, call.workers(), call.callerHelps());
            k = Math.min(k, Math.max(1, window() - (claimed - delivered.get())));
            k = Math.min(k, call.cancelFrom() - claimed);
            Chunk c;
            long unit = r.beginRead(claimed); // a stop interrupts it; a timeout does not count it
            try {
                c = source.pull(claimed, (int) Math.max(1, k));
            } catch (Source.SourceFailure e) {
                r.end(unit);
                // Recorded before exhausted is set: a consumer that sees the end sees the failure.
                call.failureLog().record(new ItemFailure(claimed, null, e.getCause(), ItemFailure.Kind.SOURCE));
                return end();
            }
            r.end(unit);
            if (c == null) {
                return end();
            }
            outstanding.incrementAndGet();
            call.delivery.claimed(c);
            claimed += c.size;
            if (size >= 0 && claimed >= size) {
                exhausted = true;
            }
            return c;
        }
    }

    private Chunk end() {
        exhausted = true;
        call.consumer().wake();
        return null;
    }

    /** A runner is done with chunk {@code c}: its items are processed or cancelled. */
    void complete(Chunk c) {
        c.finished = true;
        call.delivery.completed(c); // before the count: a consumer that sees the end sees the chunk
        int left = outstanding.decrementAndGet();
        if (call.delivery.wakesFor(c) || left == 0 && exhausted) {
            call.consumer().wake(); // not after every chunk: each wake-up costs the workers a context switch
        }
    }
}
