package dev.parkit.progress;

import dev.parkit.display.Display;
import dev.parkit.display.LiveLine;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A tqdm-like progress bar: workers count items, the owning thread draws them on a
 * {@link Display}.
 *
 * <p><b>Threading.</b> {@link #step()} and {@link #step(long)} may be called from any number of
 * threads at once; they only add to a {@link LongAdder}, with no lock and no rendering. Drawing
 * happens only in {@link #refresh()}, {@link #refreshNow()}, {@link #finish} and {@link #close()},
 * on the thread that calls them: normally the one that owns the bar (the notebook cell's thread),
 * because kernels route output by thread. Those methods are serialized by a lock, so calling them
 * from several threads is safe but pointless.
 *
 * <p><b>Rendering.</b> The bar is drawn once when it is created, then at most once per
 * {@value #MIN_REFRESH_MILLIS} ms of the injected clock by {@link #refresh()}, and once more,
 * always, by {@link #finish}. On a notebook {@link Display} ({@link Display#isNotebook()}) the
 * first drawing is {@link Display#show shown} as {@code text/html} ({@link HtmlRenderer}) with a
 * {@code text/plain} fallback ({@link TextRenderer}), and later ones {@link Display#update
 * update} that display in place. On any other display each drawing is {@link Display#print
 * printed} as {@code '\r'}, the text line and enough spaces to cover a longer previous line; the
 * final drawing ends with {@code '\n'}, so the terminal is left with one finished line.
 *
 * <p><b>Lifecycle.</b> A bar is running until the first call of {@link #finish} or
 * {@link #close()}, which freezes its state (count, elapsed time, status, detail) and draws it;
 * later calls of those, and of the refresh methods, do nothing. Steps taken after that are still
 * counted by {@link #count()} but no longer shown.
 *
 * <p><b>Nulls.</b> The label and a detail may be null (shown without them); every other reference
 * argument must not be, and a null one throws {@link NullPointerException} naming it.
 *
 * <pre>{@code
 * try (ProgressBar bar = new ProgressBar("resize", files.size(), Displays.current())) {
 *     for (Path f : files) {
 *         pool.submit(() -> { resize(f); bar.step(); });   // workers: count only
 *     }
 *     while (!pool.awaitTermination(50, MILLISECONDS)) {
 *         bar.refresh();                                    // owner: draw, throttled
 *     }
 * }                                                         // close(): final drawing
 *
 * // or wrap a loop, tqdm-style
 * for (Path f : ProgressBar.over(files, "resize", Displays.current())) {
 *     resize(f);
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {

    /** The least time between two drawings by {@link #refresh()}. */
    public static final long MIN_REFRESH_MILLIS = 100;
    private volatile java.util.function.Supplier<ProgressState.Workers> workers;

    private static final long MIN_REFRESH_NANOS = MIN_REFRESH_MILLIS * 1_000_000L;

    private final String label;
    private final long total;
    private final Display display;
    private final LongSupplier clock;
    private final long startNanos;
    private final LongAdder done = new LongAdder();

    private final Object drawLock = new Object();
    // Set once, under drawLock; read without it as the cheap "already finished?" check.
    private volatile ProgressState finalState;
    // Guarded by drawLock.
    private long lastDrawNanos;
    private final LiveLine line;

    /**
     * Creates a bar timed by {@link System#nanoTime()} and draws it at 0.
     *
     * @param label what is being done; may be null
     * @param total how many items there will be, or {@link ProgressState#UNKNOWN_TOTAL} (-1)
     * @param display where to draw, usually {@code Displays.current()}
     * @throws NullPointerException if {@code display} is null
     * @throws IllegalArgumentException if {@code total < -1}
     */
    public ProgressBar(String label, long total, Display display) {
        this(label, total, display, System::nanoTime);
    }

    /**
     * Creates a bar timed by {@code clock} and draws it at 0; for tests and replays.
     *
     * @param label what is being done; may be null
     * @param total how many items there will be, or {@link ProgressState#UNKNOWN_TOTAL} (-1)
     * @param display where to draw
     * @param clock the current time in nanoseconds, like {@link System#nanoTime()}; read once
     *     here, and once per refresh or finish
     * @throws NullPointerException if {@code display} or {@code clock} is null
     * @throws IllegalArgumentException if {@code total < -1}
     */
    public ProgressBar(String label, long total, Display display, LongSupplier clock) {
        Objects.requireNonNull(display, "display must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        if (total < ProgressState.UNKNOWN_TOTAL) {
            throw new IllegalArgumentException(
                    "total must be >= 0, or -1 (ProgressState.UNKNOWN_TOTAL) when unknown, got "
                            + total);
        }
        this.label = label;
        this.total = total;
        this.display = display;
        this.line = new LiveLine(display);
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        synchronized (drawLock) {
            draw(snapshot(startNanos, ProgressState.Status.RUNNING, null));
        }
    }

    /**
     * Wraps an iterable so that a for-each loop over it shows a bar, like tqdm's
     * {@code tqdm(iterable)}.
     *
     * <p>Each call of {@code iterator()} on the result creates and draws a new bar (total =
     * {@code size()} for a {@link Collection}, unknown otherwise). An item counts as done when
     * the loop asks for the next one, i.e. after its loop body ran; the bar is refreshed
     * (throttled) at each item and finished {@link ProgressState.Status#DONE DONE} when
     * {@code hasNext()} returns false. If the source iterator itself throws, the bar is finished
     * {@code FAILED} (or {@code INTERRUPTED} for an interruption) and the exception rethrown.
     *
     * <p>Limits: an iterator cannot see its loop body, so when the body throws or the loop
     * {@code break}s, the bar stays as last drawn, still running. To show such endings, use a bar
     * in try-with-resources instead, or {@link #over(Stream, String, Display)}.
     *
     * <pre>{@code
     * for (String url : ProgressBar.over(urls, "fetch", Displays.current())) {
     *     fetch(url);
     * }
     * }</pre>
     *
     * @param items what to iterate
     * @param label what is being done; may be null
     * @param display where to draw
     * @param <T> the item type
     * @return an iterable over the same items, in the same order
     * @throws NullPointerException if {@code items} or {@code display} is null
     */
    public static <T> Iterable<T> over(Iterable<T> items, String label, Display display) {
        Objects.requireNonNull(items, "items must not be null");
        Objects.requireNonNull(display, "display must not be null");
        return () -> new Tracked.TrackedIterator<>(
                items.iterator(),
                new ProgressBar(label, items instanceof Collection<?> c ? c.size() : -1, display));
    }

    /**
     * Wraps a stream so that consuming it shows a bar.
     *
     * <p>The bar is created and drawn when the terminal operation starts (total = the source's
     * exact size when known, else unknown). An item counts as done once everything downstream
     * of this point has processed it, so a failing {@code map} or {@code forEach} is seen: the
     * bar is finished {@code FAILED} with the item's index and value (or {@code INTERRUPTED} for
     * an interruption) and the exception rethrown. It is finished {@code DONE} when the source is
     * exhausted, and by {@link Stream#close()} (as {@link #close()} does) when it is not, e.g.
     * after {@code findFirst} or {@code limit}. The result is sequential: its items are
     * processed one at a time even if {@code parallel()} is asked for; the source's close
     * handlers run when it is closed.
     *
     * <pre>{@code
     * List<Integer> lengths = ProgressBar.over(lines.stream(), "parse", Displays.current())
     *         .map(String::length)
     *         .toList();
     * }</pre>
     *
     * @param items the stream to consume; it must not have been used yet
     * @param label what is being done; may be null
     * @param display where to draw
     * @param <T> the item type
     * @return a stream of the same items, in the same order
     * @throws NullPointerException if {@code items} or {@code display} is null
     * @throws IllegalStateException if {@code items} was already used
     */
    public static <T> Stream<T> over(Stream<T> items, String label, Display display) {
        Objects.requireNonNull(items, "items must not be null");
        Objects.requireNonNull(display, "display must not be null");
        Spliterator<T> source = items.spliterator();
        Tracked.TrackedSpliterator<T> tracked = new Tracked.TrackedSpliterator<>(
                source, () -> new ProgressBar(label, source.getExactSizeIfKnown(), display));
        return StreamSupport.stream(tracked, false).onClose(tracked::close).onClose(items::close);
    }

    /**
     * Counts from 0 to {@code n - 1} with a bar of total {@code n}, like tqdm's {@code trange};
     * the same rules and limits as {@link #over(Iterable, String, Display)}.
     *
     * <pre>{@code
     * for (int epoch : ProgressBar.over(10, "train", Displays.current())) {
     *     train(epoch);
     * }
     * }</pre>
     *
     * @param n how many numbers
     * @param label what is being done; may be null
     * @param display where to draw
     * @return an iterable over 0, 1, ..., n - 1
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws NullPointerException if {@code display} is null
     */
    public static Iterable<Integer> over(int n, String label, Display display) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        Objects.requireNonNull(display, "display must not be null");
        return () -> new Tracked.TrackedIterator<>(
                IntStream.range(0, n).iterator(), new ProgressBar(label, n, display));
    }

    /** Counts one more item done; thread-safe, lock-free, draws nothing. */
    public void step() {
        done.increment();
    }

    /**
     * Counts {@code n} more items done; thread-safe, lock-free, draws nothing.
     *
     * @param n how many, {@code >= 0}
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        done.add(n);
    }

    /**
     * Draws the current state unless the last drawing was less than {@value #MIN_REFRESH_MILLIS}
     * ms ago (by the bar's clock) or the bar is finished. Cheap enough to call in a tight loop.
     */
    public void refresh() {
        drawRunning(false);
    }

    /** Draws the current state now, ignoring the throttle; does nothing once finished. */
    public void refreshNow() {
        drawRunning(true);
    }

    /**
     * Finishes the bar: freezes its state with this status and detail and draws it, forced.
     * Only the first call of this method or {@link #close()} has an effect.
     *
     * @param status how the task ended: {@code DONE}, {@code FAILED} or {@code INTERRUPTED}
     * @param detail a line about it, such as which item failed and why; may be null
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if {@code status} is {@code RUNNING}
     */
    public void finish(ProgressState.Status status, String detail) {
        Objects.requireNonNull(status, "status must not be null");
        if (status == ProgressState.Status.RUNNING) {
            throw new IllegalArgumentException(
                    "status must be DONE, FAILED or INTERRUPTED to finish, got RUNNING");
        }
        synchronized (drawLock) {
            if (finalState != null) {
                return;
            }
            ProgressState last = snapshot(clock.getAsLong(), status, detail);
            finalState = last;
            draw(last);
        }
    }

    /**
     * Replaces the detail of a finished bar and draws it again, when it differs: a cancelled call
     * learns which items were still running only after it has waited for them.
     *
     * @param detail the new detail; may be null
     */
    public void amend(String detail) {
        synchronized (drawLock) {
            if (finalState == null || Objects.equals(detail, finalState.detail())) {
                return;
            }
            ProgressState last = snapshot(clock.getAsLong(), finalState.status(), detail);
            finalState = last;
            draw(last);
        }
    }

    /**
     * Finishes the bar if it is still running, like tqdm's {@code close()}: {@code DONE} when
     * the count reached the total (or the total is unknown), otherwise {@code INTERRUPTED}.
     */
    @Override
    public void close() {
        if (finalState == null) {
            finish(total < 0 || count() >= total
                    ? ProgressState.Status.DONE
                    : ProgressState.Status.INTERRUPTED, null);
        }
    }

    /** @return items counted so far, including any counted after finishing */
    public long count() {
        return done.sum();
    }

    /** @return the total given at creation, or {@link ProgressState#UNKNOWN_TOTAL} */
    public long total() {
        return total;
    }

    /** @return true once {@link #finish} or {@link #close()} has run */
    public boolean isFinished() {
        return finalState != null;
    }

    /**
     * The state a drawing now would show: the frozen final state once finished, otherwise a
     * running snapshot (reads the clock).
     *
     * @return the state
     */
    public ProgressState state() {
        ProgressState last = finalState;
        return last != null ? last : snapshot(clock.getAsLong(), ProgressState.Status.RUNNING, null);
    }

    private void drawRunning(boolean force) {
        if (finalState != null) {
            return;
        }
        synchronized (drawLock) {
            if (finalState != null) {
                return;
            }
            long now = clock.getAsLong();
            if (!force && now - lastDrawNanos < MIN_REFRESH_NANOS) {
                return;
            }
            draw(snapshot(now, ProgressState.Status.RUNNING, null));
        }
    }

    private ProgressState snapshot(long now, ProgressState.Status status, String detail) {
        // A clock that steps back (or a fake one) must not make the state invalid.
        long elapsed = Math.max(0, now - startNanos);
        java.util.function.Supplier<ProgressState.Workers> w = workers;
        return new ProgressState(label, count(), total, elapsed, status, detail, w == null ? null : w.get());
    }

    /**
     * Shows what the workers of a parallel call are doing, as read from {@code source} at each
     * drawing (busy workers, items per worker, failures).
     *
     * @param source the workers' state, read on the drawing thread
     */
    public void workers(java.util.function.Supplier<ProgressState.Workers> source) {
        this.workers = source;
    }

    /** The one place that writes to the display; called under drawLock. */
    private void draw(ProgressState state) {
        lastDrawNanos = startNanos + state.elapsedNanos();
        line.draw(HtmlRenderer.render(state), TextRenderer.render(state), state.isFinal());
    }
}
