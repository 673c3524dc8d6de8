package dev.parkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The calling thread's side of a call: how it waits, draws progress, helps when it is itself a
 * worker, and how it stops the call and waits for it when something ends it early.
 *
 * <p>It takes no lock: it reads the call's atomics, parks, and is unparked by runners after every
 * completion, failure and stop, so an asynchronous error (JShell's stop) can hit it anywhere
 * without leaving a lock held. Its hooks (progress, the stop notice) run on it, never under a
 * lock.
 */
final class Receiver {
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long, in all, a call's receiver spins before it parks: a small call of tiny items ends
     * within it, and is then not slowed by a park and a wake-up (tens of microseconds here).
     */
    private static final long SPIN_NANOS = Threads.SPIN_NANOS;

    private final Call call;
    private final Gate gate;
    private volatile Thread thread = Thread.currentThread();
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile List<Busy> stuck = List.of();
    private volatile boolean stuckStopped;
    private Runnable tick;
    private Runnable onStop;
    private long tickPeriodNanos;
    private long nextTick;
    private long spinUntil;
    private int spins;

    Receiver(Call call, Gate gate) {
        this.call = call;
        this.gate = gate;
    }

    void onTick(Runnable tick, long periodNanos) {
        this.tick = tick;
        this.tickPeriodNanos = periodNanos;
        this.nextTick = System.nanoTime() + periodNanos;
    }

    void onStop(Runnable hook) {
        this.onStop = hook;
    }

    /** The receiver is about to check the call's state: wake it from now on. */
    void enter() {
        Thread me = Thread.currentThread();
        if (thread != me) { // a volatile read per item, not a volatile write (a fence) per item
            thread = me;
        }
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits for something to change: runs the tick when due, helps run items when the receiver
     * is itself a worker (so nesting cannot deadlock): of this call, or of a call that waits for
     * a slot this thread holds ({@link Runner#helpStarved}); else parks until a runner wakes it.
     *
     * @throws CancellationException if the receiver is interrupted (the call is stopped first)
     */
    void pause() {
        if (tick != null && System.nanoTime() >= nextTick) {
            nextTick = System.nanoTime() + tickPeriodNanos;
            tick.run();
            return;
        }
        if (Runner.participant()) {
            if (call.claims().claimable()) {
                Runner helper = new Runner(call, false);
                helper.run();
                if (helper.entered) {
                    return;
                }
            }
            // Not while spinning: each look takes the engines' monitors, and a starved call
            // waits for this worker only once it would park.
            if (spins < 0 && Runner.helpStarved()) {
                return;
            }
        }
        call.crew().ensure();
        if (spins == 0) {
            spinUntil = System.nanoTime() + SPIN_NANOS;
        }
        if (spins >= 0) {
            if (Threads.pause(spins++) && System.nanoTime() >= spinUntil) {
                spins = -1; // spun for the call: park from now on
            }
            if (Thread.interrupted()) {
                throw interrupted();
            }
            return;
        }
        long wait = MAX_PARK_NANOS;
        if (tick != null) {
            wait = Math.max(0, Math.min(wait, nextTick - System.nanoTime()));
        }
        LockSupport.parkNanos(this, wait);
        if (Thread.interrupted()) {
            throw interrupted();
        }
    }

    /** @return the exception for an interrupted receiver; the call is stopped and drained */
    CancellationException interrupted() {
        settle(Gate.Stop.INTERRUPTED);
        Thread.currentThread().interrupt();
        return new CancellationException(call.op() + " cancelled: interrupted with " + summary());
    }

    /** @return the exception for the failure that ends the call; the call is stopped and drained */
    RuntimeException failed() {
        ItemFailure f = gate.first();
        settle(Gate.Stop.FAILED);
        return call.toException(f);
    }

    /** @return what the receiver throws for a call stopped from outside (pool or stream closed) */
    RuntimeException stopped() {
        Gate.Stop why = gate.stopReason();
        ItemFailure f = gate.first();
        if (f != null && why == Gate.Stop.FAILED) {
            return call.toException(f);
        }
        settle(why);
        if (why == Gate.Stop.INTERRUPTED) {
            return new CancellationException(call.op() + " cancelled: interrupted with " + summary());
        }
        String what = why == Gate.Stop.POOL_CLOSED ? "the pool " + call.engine().name() + " was closed"
                : "the call was closed";
        return new CancellationException(call.op() + " cancelled: " + what + " with " + summary());
    }

    /** Something hit the receiver (an asynchronous stop, an error in a hook): stop and drain. */
    void abort() {
        if (gate.running()) {
            settle(Gate.Stop.ABORTED);
        }
    }

    /**
     * Stops the call, tells the user first (the hook: a kernel ends the cell at once and drops
     * what comes later), then waits, bounded and ignoring interrupts, for running items to stop;
     * those that don't are retired. Once per call.
     */
    void settle(Gate.Stop why) {
        call.stopBy(why);
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        Gate.Stop stop = gate.stopReason();
        Runnable hook = onStop;
        if (hook != null && stop != Gate.Stop.FAILED && stop != Gate.Stop.CLOSED) {
            hook.run();
        }
        drain(stop);
    }

    private void drain(Gate.Stop stop) {
        Thread self = Thread.currentThread();
        thread = self;
        boolean interrupted = false;
        long deadline = System.nanoTime() + Engine.DRAIN_NANOS;
        List<Busy> busy = busyOtherThan(self);
        List<Busy> seen = busy; // the look before the last one
        while (!busy.isEmpty()) {
            call.interruptFrom(gate.cancelFrom()); // again: an item that started as the call stopped is caught too
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            interrupted |= Thread.interrupted(); // keep waiting; the flag is restored below
            seen = busy;
            busy = busyOtherThan(self);
        }
        // The items still running at the deadline are named, even one that ended after it but
        // before this thread woke to look (a remote chunk whose far side gave up at its own
        // deadline, a moment later); only those still running are retired.
        List<Busy> left = new ArrayList<>();
        boolean stopAll = stop == Gate.Stop.ABORTED; // stopped as JShell stops a snippet: do the same to ours
        boolean allStopped = stopAll;
        List<Busy> named = new ArrayList<>(busy);
        for (Busy b : seen) {
            if (busy.stream().noneMatch(a -> a.runner() == b.runner() && a.seq() == b.seq())) {
                named.add(b);
            }
        }
        for (Busy b : named) {
            Runner r = b.runner();
            boolean still = r.inItem() && r.unitSeq() == b.seq();
            if (!still && !r.endedAfter(b.seq(), deadline)) {
                continue;
            }
            left.add(b);
            if (still) {
                r.dismissed = true;
                call.engine().retire(r.slot);
                allStopped &= stopAll && r.submitted && Threads.stop(r.thread);
            } else {
                allStopped = false;
            }
        }
        left.sort(Comparator.comparingLong(Busy::first));
        stuckStopped = allStopped && !left.isEmpty();
        stuck = List.copyOf(left);
        call.engine().unregister(call);
        if (interrupted) {
            self.interrupt();
        }
    }

    /**
     * A runner inside an item (or a chunk that runs elsewhere: items {@code first} to
     * {@code last}, not knowing which of them runs), in its unit {@code seq}.
     */
    private record Busy(Runner runner, long first, long last, long seq) {
        boolean span() {
            return last > first;
        }
    }

    private List<Busy> busyOtherThan(Thread self) {
        List<Busy> busy = new ArrayList<>(2);
        for (Runner r : call.crew().inside()) {
            if (r.thread != self && r.inItem()) {
                long seq = r.unitSeq(); // read first: it publishes the fields below
                long last = r.spanLast;
                long first = last >= 0 ? r.spanFirst : r.index;
                busy.add(new Busy(r, first, Math.max(first, last), seq));
            }
        }
        return busy;
    }

    /**
     * What happened, for messages: {@code 3 of 400 items done}, and the items still running
     * when the call stopped, whose workers were retired.
     */
    String summary() {
        long total = call.total();
        String s = call.done() + (total >= 0 ? " of " + total : "") + " items done";
        List<Busy> st = stuck;
        if (!st.isEmpty()) {
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < Math.min(5, st.size()); i++) {
                Busy b = st.get(i);
                items.append(i > 0 ? ", " : "").append(b.first()).append(b.span() ? " to " + b.last() : "");
            }
            items.append(st.size() > 5 ? ", ..." : "");
            boolean one = st.size() == 1 && !st.get(0).span();
            boolean spans = st.stream().anyMatch(Busy::span);
            String workers = st.size() + (st.size() == 1 ? " worker" : " workers") + " retired; fresh ones take their place";
            s += "; " + (one ? "item " : "items ") + items + (spans
                    // Chunks that run elsewhere: which of their items still runs is not known here.
                    ? " (sent elsewhere) had not ended " + TimeoutMonitor.format(Engine.DRAIN_NANOS) + " after the stop ("
                            + workers + ")"
                    : (one ? " was" : " were") + " still running after " + TimeoutMonitor.format(Engine.DRAIN_NANOS)
                            + (one ? " and ignores interrupts (" : " and ignore interrupts (") + (stuckStopped ? "stopped, as the snippet was" : workers) + ")");
        }
        return s;
    }
}
