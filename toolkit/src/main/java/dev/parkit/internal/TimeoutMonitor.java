package dev.parkit.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Per-item timeouts: one shared daemon thread checks the items of every call that has a timeout,
 * and exits when no call needs it for 5 s.
 *
 * <p>The life of a timed item: it runs; once over the timeout it is recorded as a failure and
 * interrupted ({@link Runner#interrupt}); if it is still running {@link #ABANDON_NANOS} after
 * that, its runner is abandoned and the call goes on without it ({@link ChunkWork#handOn}): a
 * fresh worker takes its slot, the rest of its chunk goes to other runners, and the stuck thread
 * finishes the item on its own, its result dropped. A source read is not an item: it is not timed.
 *
 * <p>A call's check runs while the call has runners and stops when it has none or is over; the
 * next runner starts it again. Start and stop are guarded by the monitor object itself.
 */
final class TimeoutMonitor {
    /**
     * How long a timed-out item may ignore its interrupt before its runner is abandoned. An item
     * that honours interrupts (a sleep, a wait, a lock, an interruptible channel, a loop that
     * checks the flag) ends within microseconds to milliseconds of one, so this spares it a
     * thread's replacement; waiting as long as a stopped call does ({@link Engine#DRAIN_NANOS})
     * would hold the rest of the call a second longer after each such item.
     */
    static final long ABANDON_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1,
            Threads.daemons("parkit-timeouts"));

    static {
        TIMER.setKeepAliveTime(5, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Call call;
    private final long timeoutNanos;
    private ScheduledFuture<?> task; // guarded by this

    TimeoutMonitor(Call call, long timeoutNanos) {
        this.call = call;
        this.timeoutNanos = timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Starts checking, if not already. */
    synchronized void start() {
        if (task == null && call.gate().running()) {
            long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    Math.min(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(100)));
            task = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops checking. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void check() {
        synchronized (this) {
            if (!call.gate().running() || call.crew().count() == 0) {
                stop(); // idle, e.g. an abandoned lazy call: the next runner starts it again
                return;
            }
        }
        long now = System.nanoTime();
        for (Runner r : call.crew().inside()) {
            long seq = r.runningSeq();
            if (seq < 0) {
                continue;
            }
            long start = r.startNanos;
            boolean item = r.measured; // not a source read
            if (r.runningSeq() == seq && item && now - start > timeoutNanos) {
                r.interrupt(seq, true); // records the timeout before the item can end (once)
            }
            if (r.timedOutSeq == seq && now - r.timedOutNanos > ABANDON_NANOS && r.abandon(seq)) {
                ChunkWork.handOn(call, r);
            }
        }
    }

    /** @return {@code 100 ms}, {@code 2 s} or {@code 250 us} */
    static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos / 1000 + " us";
    }
}
