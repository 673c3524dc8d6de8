package dev.parkit.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs chunks of one call in one slot until there is nothing left to claim.
 *
 * <p>Each item is bracketed by {@link #begin} and {@link #end}, and other threads interrupt an
 * item only through {@link #interrupt(long)}, which names the item by its sequence number: an
 * interrupt meant for one item can never reach the next one, even when the function swallows it
 * and sets the flag again (the {@code FutureTask} handshake: RUNNING -> INTERRUPTING ->
 * INTERRUPTED, and {@code end} waits out INTERRUPTING, then clears the flag).
 *
 * <p>A timed-out item that ignores its interrupt can be abandoned: INTERRUPTED -> ABANDONED by
 * {@link #abandon}, against INTERRUPTED -> IDLE by {@code end}, so exactly one of them wins. The
 * winner owns the chunk from then on; an abandoned runner leaves the call as soon as its item
 * ends, touching nothing of it (its result is dropped), since {@link ChunkWork#handOn} has
 * already done on its behalf what it would have done.
 */
final class Runner implements Runnable {
    private static final ThreadLocal<Runner> CURRENT = new ThreadLocal<>();
    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long INTERRUPTING = 2;
    private static final long INTERRUPTED = 3;
    /** Set with INTERRUPTED on an abandoned item: sequence numbers never reach the sign bit. */
    private static final long ABANDONED = Long.MIN_VALUE;
    /** A runner that has worked this long gives its thread to waiting work, then comes back. */
    private static final long YIELD_NANOS = 20_000_000;

    private final Call call;
    final boolean submitted;
    /** (sequence << 2) | phase of the current item. */
    private final AtomicLong item = new AtomicLong();
    private static final java.lang.invoke.VarHandle INDEX;

    static {
        try {
            INDEX = java.lang.invoke.MethodHandles.lookup().findVarHandle(Runner.class, "index", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile Thread thread;
    volatile long index;
    volatile Object input;
    volatile long startNanos;
    /** The running unit is an item, which a timeout measures (a source read is not). */
    volatile boolean measured;
    volatile long timedOutSeq = -1;
    /** When item {@link #timedOutSeq} was interrupted for its timeout. */
    volatile long timedOutNanos;
    /** What the gate made of item {@link #timedOutSeq}'s timeout; written before it. */
    volatile Gate.Verdict timedOutVerdict;
    /** The last unit that ended after ParKit interrupted it, and when: for a draining receiver. */
    volatile long interruptedEndSeq = -1;
    volatile long interruptedEndNanos;
    /**
     * A chunk that runs elsewhere ({@link RemoteChunk}): its first item not yet reported ended,
     * and its last item; this JVM does not know which of them is running. {@code spanLast} is -1
     * in a call whose items run here (a runner serves one call).
     */
    volatile long spanFirst;
    volatile long spanLast = -1;
    /**
     * Dismissed from its call (its worker retired by a stop, or abandoned in a timed-out item):
     * it leaves its chunk alone and the call as soon as its item ends. Its slot's own flag is
     * {@link Slot#retired}.
     */
    volatile boolean dismissed;
    /** This thread lost its item to {@link #abandon}: the call already counts it out. Only it reads this. */
    private boolean abandoned;
    /** The chunk of the timed item in hand; published to {@link #abandon}'s caller by {@link #begin}. */
    Chunk chunk;
    boolean entered;
    Slot slot;
    private boolean ownsSlot;
    /** The runner this thread was running when it started this one (a nested call's helper), or null. */
    private Runner outer;

    Runner(Call call, boolean submitted) {
        this.call = call;
        this.submitted = submitted;
    }

    /** @return the runner the current thread is running, or null */
    static Runner current() {
        return CURRENT.get();
    }

    /** @return true when the current thread is running items of a call on {@code engine} */
    static boolean participant() {
        return CURRENT.get() != null;
    }

    /**
     * Runs, on this worker's thread while it waits in a nested call, items of a call that cannot
     * start otherwise: one that wants a worker, has none inside, on an engine this thread holds a
     * slot of. That is how calls nested across pools end (A's item calls B, whose item calls A
     * again, while every slot of A is held by a thread waiting in B): the thread that holds A's
     * slot runs the inner A call in it, as it runs a nested call on A itself.
     *
     * @return true if it ran items
     */
    static boolean helpStarved() {
        for (Runner r = CURRENT.get(); r != null; r = r.outer) {
            if (r.slot == null) {
                continue;
            }
            Call starved = r.call.engine().starved();
            if (starved != null) {
                Runner helper = new Runner(starved, false);
                helper.run();
                if (helper.entered) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void run() {
        Runner outer = CURRENT.get();
        this.outer = outer;
        boolean registered = false;
        try {
            if (!takeSlot(outer)) {
                return;
            }
            thread = Thread.currentThread();
            registered = call.enter(this);
            if (!registered) {
                return;
            }
            entered = true;
            CURRENT.set(this);
            work();
        } catch (InterruptedException e) {
            // stopped while waiting for a slot
        } finally {
            CURRENT.set(outer);
            this.outer = null;
            if (registered && !abandoned) { // ChunkWork.handOn took an abandoned runner out of the call
                call.leave(this);
            }
            if (ownsSlot) {
                call.engine().release(slot);
            }
            if (submitted) {
                Thread.interrupted(); // an interrupt meant for this call must not reach the pool's next task
                if (!abandoned) {
                    call.crew().exited();
                }
            }
        }
    }

    private boolean takeSlot(Runner outer) throws InterruptedException {
        Engine engine = call.engine();
        // A nested call on an engine this thread already works for, however deep (A's item calls
        // B, whose item calls A), runs in that worker's slot: waiting for another of A's slots
        // would deadlock once every one is held by a thread waiting in such a chain.
        for (Runner r = outer; r != null; r = r.outer) {
            if (r.slot != null && r.call.engine() == engine) {
                slot = r.slot;
                return true;
            }
        }
        slot = submitted ? engine.acquire(call) : engine.tryAcquire();
        ownsSlot = slot != null;
        return ownsSlot;
    }

    private void work() {
        long t0 = System.nanoTime();
        Chunk c;
        while ((c = call.claims().claim(this)) != null) {
            try {
                ChunkWork.run(call, this, c);
            } catch (RuntimeException | Error e) {
                if (!dismissed) {
                    ChunkWork.failFrom(call, c, c.processed, e, ItemFailure.Kind.ENGINE); // loud, never a gap
                }
                throw e;
            } finally {
                if (!dismissed) {
                    call.claims().complete(c);
                }
            }
            if (dismissed) {
                return;
            }
            if (submitted && System.nanoTime() - t0 > YIELD_NANOS) {
                if (call.engine().contended()) {
                    return; // Crew.exited() submits a fresh runner behind the waiting work
                }
                t0 = System.nanoTime(); // look again in a while, not after every chunk
            }
        }
    }

    // ---- the per-item handshake ----

    /**
     * Starts a unit that ParKit may interrupt: an item (with a timeout) or a chunk. A call's
     * timeout measures it. Only the runner's thread calls this.
     *
     * @return the unit's sequence number
     */
    long begin(long idx, Object x) {
        return begin(idx, x, true);
    }

    /**
     * Starts a source read: a unit that a stop interrupts but the timeout does not measure, since
     * waiting for an item to arrive is not the item's time. Only the runner's thread calls this.
     *
     * @return the unit's sequence number
     */
    long beginRead(long idx) {
        return begin(idx, null, false);
    }

    private long begin(long idx, Object x, boolean timed) {
        index = idx;
        input = x;
        startNanos = System.nanoTime();
        measured = timed;
        long seq = (item.get() >>> 2) + 1;
        item.set(seq << 2 | RUNNING); // publishes the fields above to whoever reads this unit's seq
        return seq;
    }

    /**
     * Moves to item {@code idx} inside a chunk-wide unit: a release store, no fence. Item indices
     * only grow within a call, so an interrupter that sees a stale, smaller index at worst skips
     * an interrupt, which the draining receiver sends again.
     *
     * @return {@code unit}
     */
    long at(long idx, long unit) {
        INDEX.setRelease(this, idx);
        return unit;
    }

    /**
     * Ends an item. Only the runner's thread calls this.
     *
     * @return true when the item was interrupted by ParKit (the interrupt flag is then cleared);
     *     if it was also abandoned meanwhile, {@link #dismissed} is set and the runner must leave
     *     the call without touching it
     */
    boolean end(long seq) {
        if (item.compareAndSet(seq << 2 | RUNNING, seq << 2)) {
            return false;
        }
        while ((item.get() & 3) == INTERRUPTING) {
            Thread.onSpinWait(); // the interrupter is between its CAS and thread.interrupt()
        }
        Thread.interrupted();
        interruptedEndNanos = System.nanoTime(); // before the item reads as ended, for endedAfter
        interruptedEndSeq = seq;
        if (!item.compareAndSet(seq << 2 | INTERRUPTED, seq << 2)) { // ABANDONED: the item stays so
            abandoned = true;
            dismissed = true;
        }
        return true;
    }

    /**
     * Abandons the runner in item {@code seq}, interrupted for its timeout and still running:
     * from now on its thread leaves the call as soon as the item ends, without touching it, and
     * the caller takes over its chunk ({@link ChunkWork#handOn}). Only the timeout monitor calls
     * this.
     *
     * @return true if abandoned; false if the item ended first (the runner then goes on)
     */
    boolean abandon(long seq) {
        if (!item.compareAndSet(seq << 2 | INTERRUPTED, ABANDONED | seq << 2 | INTERRUPTED)) {
            return false;
        }
        dismissed = true;
        return true;
    }

    /** @return the running item's sequence number, or -1 when between items or abandoned */
    long runningSeq() {
        long v = item.get();
        return (v & 3) == IDLE || v < 0 ? -1 : v >>> 2;
    }

    /** @return the current (or last) unit's sequence number, abandoned or not */
    long unitSeq() {
        return (item.get() & ~ABANDONED) >>> 2;
    }

    /**
     * @return true when unit {@code seq}, interrupted by ParKit, ended after {@code nanos}; read
     *     after seeing it ended, so an interrupted unit's stamp is visible
     */
    boolean endedAfter(long seq, long nanos) {
        return interruptedEndSeq == seq && interruptedEndNanos - nanos > 0;
    }

    /** @return true while inside an item (even one that has been interrupted) */
    boolean inItem() {
        return (item.get() & 3) != IDLE;
    }

    /**
     * Interrupts item {@code seq} if it is still running and not yet interrupted.
     *
     * @param timedOut true to mark it timed out before the interrupt (its result is then dropped)
     * @return true if this call interrupted it
     */
    boolean interrupt(long seq, boolean timedOut) {
        if (!item.compareAndSet(seq << 2 | RUNNING, seq << 2 | INTERRUPTING)) {
            return false;
        }
        try {
            if (timedOut) {
                timedOutNanos = System.nanoTime();
                timedOutVerdict = call.timedOut(index, input); // recorded before end() can see the item as over
                timedOutSeq = seq;
            }
            if (thread != Thread.currentThread()) {
                thread.interrupt();
            }
        } finally {
            item.set(seq << 2 | INTERRUPTED);
        }
        return true;
    }
}
