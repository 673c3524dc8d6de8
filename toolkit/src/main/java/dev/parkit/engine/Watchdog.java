package dev.parkit.engine;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One shared daemon thread that checks running items against their timeouts; idle, it exits. */
final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1,
            Engine.daemonThreads("parkit-watchdog"));

    static {
        TIMER.setKeepAliveTime(5, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {}

    static ScheduledFuture<?> every(long periodNanos, Runnable check) {
        return TIMER.scheduleAtFixedRate(check, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }
}
