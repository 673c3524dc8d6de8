package dev.parkit.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Per-item timeouts: one shared daemon thread checks the items of every call that has a timeout,
 * and exits when no call needs it for 5 s.
 *
 * <p>A call's check runs while the call has runners and stops when it has none or is over; the
 * next runner starts it again. Start and stop are guarded by the monitor object itself.
 */
final class TimeoutMonitor {
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
        if (task == null && call.running()) {
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
            if (!call.running() || call.crew().count() == 0) {
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
                r.interrupt(seq, true); // records the timeout before the item can end
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
