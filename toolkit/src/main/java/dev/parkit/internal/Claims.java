package dev.parkit.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claim side of a call's scheduler: hands runners chunks read from the source, within the
 * lazy deliveries' window, and the rests of chunks whose runners were abandoned, and knows when
 * every claimed chunk is back.
 *
 * <p>Invariants: {@code claimed} and {@code exhausted} change only under the claim lock, which
 * only runners take, while reading the source; {@code claimed - delivered} stays within the
 * window; a source failure is recorded before {@code exhausted} is set, and a chunk is delivered
 * before {@code outstanding} counts it back, so a receiver that sees the end sees everything.
 * A chunk's rest in {@code handedOn} is not counted on its own: its chunk stays outstanding until
 * the rest completes it. The claim lock is a monitor, so even an asynchronous stop releases it.
 */
final class Claims {
    static final int WINDOW_ITEMS_PER_WORKER = 4096;

    private final Call call;
    private final Gate gate;
    private final Source source;
    private final ChunkSizer sizer;
    private final boolean windowed;
    private final Object lock = new Object();
    private volatile long claimed;
    private volatile boolean exhausted;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Rests of chunks whose runners were abandoned ({@link ChunkWork#handOn}), claimed first. */
    private final Queue<Chunk> handedOn = new ConcurrentLinkedQueue<>();

    Claims(Call call, Gate gate, Source source, ChunkSizer sizer, boolean windowed) {
        this.call = call;
        this.gate = gate;
        this.source = source;
        this.sizer = sizer;
        this.windowed = windowed;
        this.exhausted = source.size() == 0 && source.sizeIsTheEnd();
    }

    /** @return true when a runner could claim a chunk now */
    boolean claimable() {
        return gate.running() && (!handedOn.isEmpty() || sourceClaimable());
    }

    private boolean sourceClaimable() {
        return !exhausted && gate.mayStart(claimed) && claimed - delivered.get() < window();
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
        if (size < 0) {
            return -1;
        }
        long left = Math.max(0, size - claimed);
        for (Chunk c : handedOn) {
            left += c.size;
        }
        if (left == 0 && !exhausted && !source.sizeIsTheEnd()) {
            return 1; // the size was the start's: a runner reads on to the iterator's end
        }
        return left;
    }

    /** The receiver has taken {@code n} more results of a lazy delivery: the window moves on. */
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
        Chunk rest = handedOn.poll(); // not under the lock, which a runner holds while it waits for a slow source
        if (rest != null) {
            return rest;
        }
        synchronized (lock) {
            if (!gate.running() || !sourceClaimable()) {
                return null;
            }
            long size = source.size();
            long k = sizer.next(size >= 0 && size > claimed ? size - claimed : -1, call.workers());
            k = Math.min(k, Math.max(1, window() - (claimed - delivered.get())));
            k = Math.min(k, gate.cancelFrom() - claimed);
            Chunk c;
            long unit = r.beginRead(claimed); // a stop interrupts it; a timeout does not count it
            try {
                c = source.pull(claimed, (int) Math.max(1, k));
            } catch (Source.SourceFailure e) {
                r.end(unit);
                // Recorded before exhausted is set: a receiver that sees the end sees the failure.
                gate.failed(new ItemFailure(claimed, null, e.getCause(), ItemFailure.Kind.SOURCE));
                return end();
            }
            r.end(unit);
            if (c == null) {
                return end();
            }
            outstanding.incrementAndGet();
            call.delivery.claimed(c);
            claimed += c.size;
            if (size >= 0 && claimed >= size && source.sizeIsTheEnd()) {
                exhausted = true;
            }
            return c;
        }
    }

    private Chunk end() {
        exhausted = true;
        call.receiver().wake();
        return null;
    }

    /**
     * Hands the rest of a chunk whose runner was abandoned to the next runner that claims; the
     * caller then makes sure one will ({@link ChunkWork#handOn}).
     */
    void handOn(Chunk rest) {
        handedOn.add(rest);
    }

    /** A runner is done with chunk {@code c}: its items are processed or cancelled. */
    void complete(Chunk c) {
        Chunk whole = c.whole;
        if (whole != null) { // a rest: its items end the whole chunk's, which is complete now
            int at = (int) (c.start - whole.start);
            whole.processed = at + c.processed;
            if (whole.failedAt < 0 && c.failedAt >= 0) {
                whole.failedAt = at + c.failedAt;
            }
            complete(whole);
            return;
        }
        c.finished = true;
        call.delivery.completed(c); // before the count: a receiver that sees the end sees the chunk
        int left = outstanding.decrementAndGet();
        if (call.delivery.wakesFor(c) || left == 0 && exhausted) {
            call.receiver().wake(); // not after every chunk: each wake-up costs the workers a context switch
        }
    }
}
