package dev.parkit.calls;

import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.display.Displays;
import dev.parkit.internal.Call;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState.Status;
import dev.parkit.progress.ProgressState;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * What the user sees of a call: its progress bar, when the options ask for one (drawn by the
 * calling thread while it waits: a kernel drops output sent from other threads), finished green,
 * red at the failing item, or as interrupted; and, when an asynchronous stop (JShell's Ctrl-C)
 * ends a call without a bar, one line saying what was cancelled.
 */
final class CallProgress {
    private static final long TICK_NANOS = ProgressBar.MIN_REFRESH_MILLIS * 1_000_000L;

    private final Call call;
    private final ProgressBar bar;

    private CallProgress(Call call, ProgressBar bar) {
        this.call = call;
        this.bar = bar;
        if (bar != null) {
            call.onTick(this::refresh, TICK_NANOS);
            bar.workers(() -> new ProgressState.Workers(call.busy(), call.workers(), call.donePerWorker(),
                    call.failedCount()));
        }
        // Drawn as soon as the consumer is stopped, before it waits for running items.
        call.onStop(() -> finish(Status.INTERRUPTED, call.op() + " cancelled: " + call.summary()));
    }

    private static CallProgress of(Call call, Options o) {
        String label = o.progressLabel();
        ProgressBar bar = label == null ? null
                : new ProgressBar(label.isEmpty() ? null : label, call.total(), Displays.current());
        return new CallProgress(call, bar);
    }

    /** Runs {@code await} (which waits for the call) with the call's progress shown, if asked for. */
    static <V> V around(Call call, Options o, Supplier<V> await) {
        CallProgress p = null;
        try {
            p = of(call, o);
            call.begin();
            V v = await.get();
            int failed = call.failures().size(); // pmapCollect carries on past failures: say how many
            p.finish(Status.DONE, failed == 0 ? null : failed + (failed == 1 ? " item" : " items") + " failed");
            return v;
        } catch (RuntimeException | Error e) {
            call.abort(); // a stop that landed before the wait began: the call must not run on alone
            (p != null ? p : new CallProgress(call, null)).ended(e);
            throw e;
        }
    }

    /** The lazy results, drawing progress as they are consumed, if asked for. */
    static <R> Results<R> iterator(Call call, Options o, Iterator<R> it) {
        return new Results<>(of(call, o), it);
    }

    /**
     * Lazy results that draw progress as they are consumed: refreshed at each item, finished at
     * their end or failure, and by {@link #closed()} when the stream is closed before its end.
     */
    static final class Results<R> implements Iterator<R> {
        private final CallProgress p;
        private final Iterator<R> it;

        private Results(CallProgress p, Iterator<R> it) {
            this.p = p;
            this.it = it;
        }

        @Override
        public boolean hasNext() {
            try {
                boolean more = it.hasNext();
                if (more) {
                    p.refresh();
                } else {
                    p.finish(Status.DONE, null);
                }
                return more;
            } catch (RuntimeException | Error e) {
                p.ended(e);
                throw e;
            }
        }

        @Override
        public R next() {
            return it.next();
        }

        /**
         * The stream was closed (by try-with-resources, say, after a {@code limit}), after the
         * call was cancelled: a bar still running ends, as tqdm's {@code close()} ends one,
         * {@code DONE} if every item was done and none failed, else {@code INTERRUPTED} with the
         * count. A bar that already ended (at the end of the results, a failure) stays as it is.
         */
        void closed() {
            p.closed();
        }
    }

    private void closed() {
        if (bar == null || bar.isFinished()) {
            return;
        }
        sync();
        long total = call.total();
        if (total >= 0 && bar.count() >= total && call.failedCount() == 0) {
            bar.finish(Status.DONE, null);
        } else {
            bar.finish(Status.INTERRUPTED, call.op() + " closed: " + call.summary());
        }
    }

    private void refresh() {
        if (bar != null) {
            sync();
            bar.refresh();
        }
    }

    private void sync() {
        long behind = call.done() - bar.count();
        if (behind > 0) {
            bar.step(behind);
        }
    }

    private void finish(Status status, String detail) {
        if (bar == null) {
            return;
        }
        if (bar.isFinished()) {
            bar.amend(detail);
        } else {
            sync();
            bar.finish(status, detail);
        }
    }

    /** The call ended with {@code e}: the bar says how, or one line does when there is no bar. */
    private void ended(Throwable e) {
        if (e instanceof ParException) {
            finish(Status.FAILED, e.getMessage());
        } else if (e instanceof CancellationException) {
            finish(Status.INTERRUPTED, e.getMessage());
        } else {
            // An asynchronous stop (JShell's Ctrl-C throws ThreadDeath into the snippet's thread)
            // or an error in the consumer: the call has been cancelled and drained by now.
            String line = call.op() + " cancelled: " + call.summary();
            if (bar != null) {
                finish(Status.INTERRUPTED, line);
            } else {
                Displays.current().print(line + "\n");
            }
        }
    }
}
