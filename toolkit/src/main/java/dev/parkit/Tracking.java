package dev.parkit;

import dev.parkit.display.Displays;
import dev.parkit.engine.Call;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState.Status;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The progress bar of a call, when its options ask for one: drawn by the calling thread while it
 * waits (a kernel drops output sent from other threads), finished green, red at the failing item,
 * or as interrupted.
 */
final class Tracking {
    private static final long TICK_NANOS = ProgressBar.MIN_REFRESH_MILLIS * 1_000_000L;

    private final Call call;
    private final ProgressBar bar;

    private Tracking(Call call, ProgressBar bar) {
        this.call = call;
        this.bar = bar;
        call.onTick(this::refresh, TICK_NANOS);
        call.onInterrupt(() -> finish(Status.INTERRUPTED, "interrupted after " + call.done() + " items"));
    }

    private static Tracking of(Call call, Options o) {
        String label = o.progressLabel();
        if (label == null) {
            return null;
        }
        return new Tracking(call, new ProgressBar(label.isEmpty() ? null : label, call.total(), Displays.current()));
    }

    /** Runs {@code await} (which waits for the call) with the call's progress shown, if asked for. */
    static <V> V around(Call call, Options o, Supplier<V> await) {
        Tracking t = of(call, o);
        if (t == null) {
            return await.get();
        }
        try {
            V v = await.get();
            int failed = call.failures().size(); // pmapCollect carries on past failures: say how many
            t.finish(Status.DONE, failed == 0 ? null : failed + (failed == 1 ? " item" : " items") + " failed");
            return v;
        } catch (RuntimeException | Error e) {
            t.failed(e);
            throw e;
        }
    }

    /** The lazy results, drawing progress as they are consumed, if asked for. */
    static <R> Iterator<R> iterator(Call call, Options o, Iterator<R> it) {
        Tracking t = of(call, o);
        if (t == null) {
            return it;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    boolean more = it.hasNext();
                    if (more) {
                        t.refresh();
                    } else {
                        t.finish(Status.DONE, null);
                    }
                    return more;
                } catch (RuntimeException | Error e) {
                    t.failed(e);
                    throw e;
                }
            }

            @Override
            public R next() {
                return it.next();
            }
        };
    }

    private void sync() {
        long behind = call.done() - bar.count();
        if (behind > 0) {
            bar.step(behind);
        }
    }

    private void refresh() {
        sync();
        bar.refresh();
    }

    private void finish(Status status, String detail) {
        sync();
        bar.finish(status, detail);
    }

    private void failed(Throwable e) {
        if (e instanceof CancellationException) {
            finish(Status.INTERRUPTED, e.getMessage());
        } else {
            finish(Status.FAILED, e instanceof ParException ? e.getMessage() : String.valueOf(e));
        }
    }
}
