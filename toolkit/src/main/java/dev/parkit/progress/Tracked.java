package dev.parkit.progress;

import dev.parkit.util.Text;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The iterator and spliterator behind {@link ProgressBar}'s {@code over(...)} factories. */
final class Tracked {
    /** How deep statusFor looks into a cause chain. */
    private static final int MAX_CAUSES = 32;

    private Tracked() {}

    /** Steps the bar as items are consumed; finishes it when the source ends or throws. */
    static final class TrackedIterator<T> implements Iterator<T> {
        private final Iterator<? extends T> source;
        private final ProgressBar bar;
        private long handedOut;
        private boolean pending;

        TrackedIterator(Iterator<? extends T> source, ProgressBar bar) {
            this.source = source;
            this.bar = bar;
        }

        @Override
        public boolean hasNext() {
            settle();
            boolean more;
            try {
                more = source.hasNext();
            } catch (RuntimeException | Error e) {
                failReading(e);
                throw e;
            }
            if (!more) {
                bar.finish(ProgressState.Status.DONE, null);
            }
            return more;
        }

        @Override
        public T next() {
            settle();
            T item;
            try {
                item = source.next();
            } catch (NoSuchElementException e) {
                throw e; // the caller's misuse, not the source failing
            } catch (RuntimeException | Error e) {
                failReading(e);
                throw e;
            }
            handedOut++;
            pending = true;
            return item;
        }

        /** The item handed out last is done once the caller comes back for another. */
        private void settle() {
            if (pending) {
                pending = false;
                bar.step();
                bar.refresh();
            }
        }

        private void failReading(Throwable e) {
            bar.finish(statusFor(e), readingDetail(handedOut, e));
        }
    }

    /**
     * Not splittable, so the stream runs on one thread; SIZED is dropped so that a terminal
     * operation such as {@code count()} cannot skip the traversal the bar reports on.
     */
    static final class TrackedSpliterator<T> implements Spliterator<T> {
        private final Spliterator<T> source;
        private final Supplier<ProgressBar> newBar;
        private ProgressBar bar;
        private long index;
        private T current;
        private boolean inAction;

        TrackedSpliterator(Spliterator<T> source, Supplier<ProgressBar> newBar) {
            this.source = source;
            this.newBar = newBar;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action must not be null");
            if (bar == null) {
                bar = newBar.get();
            }
            boolean advanced;
            try {
                advanced = source.tryAdvance(item -> {
                    current = item;
                    inAction = true;
                    action.accept(item);
                    inAction = false;
                });
            } catch (RuntimeException | Error e) {
                ProgressState.Status status = statusFor(e);
                bar.finish(status, inAction
                        ? itemDetail(index, current, e, status)
                        : readingDetail(index, e));
                throw e;
            }
            if (!advanced) {
                bar.finish(ProgressState.Status.DONE, null);
                return false;
            }
            index++;
            current = null;
            bar.step();
            bar.refresh();
            return true;
        }

        /** Stream close: finish a bar that the stream stopped consuming early. */
        void close() {
            if (bar != null) {
                bar.close();
            }
        }

        @Override
        public Spliterator<T> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return source.estimateSize();
        }

        @Override
        public int characteristics() {
            return source.characteristics() & (ORDERED | DISTINCT | NONNULL | IMMUTABLE);
        }
    }

    /**
     * INTERRUPTED for what a kernel's or JShell's stop button throws (ThreadDeath), for an
     * InterruptedException anywhere in the cause chain, and when the thread's interrupt flag is
     * set; FAILED for anything else.
     */
    static ProgressState.Status statusFor(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return ProgressState.Status.INTERRUPTED;
        }
        // Bounded, because a cause chain can be made cyclic (a -> b -> a).
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof ThreadDeath || t instanceof InterruptedException) {
                return ProgressState.Status.INTERRUPTED;
            }
        }
        return ProgressState.Status.FAILED;
    }

    /** {@code item 17 (42) failed: ArithmeticException: / by zero}, or where it was interrupted. */
    static String itemDetail(long index, Object item, Throwable e, ProgressState.Status status) {
        String where = "item " + index + " (" + Text.preview(item) + ")";
        return status == ProgressState.Status.INTERRUPTED
                ? "at " + where
                : where + " failed: " + Text.describe(e);
    }

    /** {@code item 17 could not be read from the source: IOException: disk gone}. */
    static String readingDetail(long index, Throwable e) {
        return "item " + index + " could not be read from the source: " + Text.describe(e);
    }

}
