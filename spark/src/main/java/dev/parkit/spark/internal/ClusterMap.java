package dev.parkit.spark.internal;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One map call on a cluster, as seen from the calling thread: slices the items, packs the
 * function, starts a {@link RemoteRun}, then takes finished slices, draws progress and applies
 * the same ordering and failure rules as local ParKit. Only the calling thread (or the thread
 * that consumes a lazy result stream) touches it.
 *
 * @param <T> the item type
 * @param <R> the result type
 */
public final class ClusterMap<T, R> implements AutoCloseable {
    private static final long POLL_MILLIS = 50;
    private static final int SLICES_PER_CORE = 4;

    private final List<T> items;
    private final ClassLoader loader;
    private final RemoteRun run; // null for no items: no job starts
    private final ProgressBar bar;
    private final Set<String> jvms;
    private boolean closed;

    private ClusterMap(JavaSparkContext spark, SentPackages sent, ParFunction<? super T, ? extends R> f, List<T> items,
            Options o, RemoteRun.OnFailure onFailure, Set<String> jvms, String what) {
        this.items = items;
        this.jvms = jvms;
        ClassLoader l = f.getClass().getClassLoader();
        this.loader = l != null ? l : Thread.currentThread().getContextClassLoader();
        int perSlice = o.chunkSize() > 0 ? o.chunkSize()
                : Math.max(1, (int) Math.ceil(items.size() / (double) (spark.defaultParallelism() * SLICES_PER_CORE)));
        Codec.Seen seen = new Codec.Seen();
        List<Slice> slices = new ArrayList<>();
        for (int from = 0, number = 0; from < items.size(); from += perSlice, number++) {
            int to = Math.min(items.size(), from + perSlice);
            try {
                slices.add(new Slice(number, from, to - from, Codec.encode(items.subList(from, to).toArray(), seen)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot send the items to the cluster: an item between index "
                        + from + " and " + (to - 1) + " cannot be serialized: " + e
                        + ". Make the items' type Serializable.", e);
            }
        }
        TaskPackage pkg = Packager.pack(f, seen);
        // As local calls: progress() without a label draws a bar without one.
        String label = o.progressLabel();
        this.bar = label == null ? null : new ProgressBar(label.isEmpty() ? null : label, items.size(),
                Displays.current());
        long timeoutNanos = o.timeout() == null ? 0 : o.timeout().toNanos();
        this.run = slices.isEmpty() ? null : RemoteRun.start(spark, sent.broadcast(pkg), pkg.id(), slices, onFailure,
                timeoutNanos, "ParKit " + what + " of " + items.size() + " items");
    }

    /**
     * A call over {@code items}, started; empty input starts no job.
     *
     * @param spark the context
     * @param sent the packages this application has sent, to reuse
     * @param f the function
     * @param items the items
     * @param o the options: chunk size, timeout, progress
     * @param onFailure what a failed item cancels
     * @param jvms the executor JVMs seen so far; updated
     * @param what the call's name, for Spark's UI
     * @param <T> the item type
     * @param <R> the result type
     * @return the started call
     */
    public static <T, R> ClusterMap<T, R> start(JavaSparkContext spark, SentPackages sent,
            ParFunction<? super T, ? extends R> f, List<T> items, Options o, RemoteRun.OnFailure onFailure,
            Set<String> jvms, String what) {
        return new ClusterMap<>(spark, sent, f, items, o, onFailure, jvms, what);
    }

    /** pmap: every value in input order, or the first failure to arrive. */
    public List<R> all() {
        Object[] values = new Object[items.size()];
        try (this) {
            for (Received r; (r = next()) != null; ) {
                Failure<T> failure = r.firstFailure();
                if (failure != null) {
                    throw fail(failure);
                }
                System.arraycopy(r.outcomes.values(), 0, values, (int) r.first, r.outcomes.ran());
            }
            finish(ProgressState.Status.DONE, null);
        }
        return resultList(values);
    }

    /** pmapCollect: every value in input order, null where an item failed, and every failure. */
    public MapResult<T, R> collect() {
        Object[] values = new Object[items.size()];
        List<Failure<T>> failures = new ArrayList<>();
        try (this) {
            for (Received r; (r = next()) != null; ) {
                System.arraycopy(r.outcomes.values(), 0, values, (int) r.first, r.outcomes.ran());
                failures.addAll(r.failures());
            }
            failures.sort(Comparator.comparingLong(Failure::index));
            int failed = failures.size(); // as local pmapCollect's bar says it
            finish(ProgressState.Status.DONE, failed == 0 ? null : failed + (failed == 1 ? " item" : " items") + " failed");
        }
        return new MapResult<>(resultList(values), List.copyOf(failures));
    }

    /** pimap or pimapUnordered: a lazy stream of the values; closing it cancels the rest. */
    public Stream<R> stream(boolean ordered) {
        Iterator<R> it = ordered ? new Ordered() : new Unordered();
        // Not SIZED, as local streams: count() must consume the results, so the bar ends.
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, ordered ? Spliterator.ORDERED : 0), false)
                .onClose(this::close);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (run != null) {
                run.cancel();
            }
            if (bar != null) {
                bar.close();
            }
        }
    }

    private final class Ordered implements Iterator<R> {
        private final java.util.Map<Integer, Received> waiting = new java.util.HashMap<>();
        private Received current;
        private int slice;
        private int pos;

        @Override
        public boolean hasNext() {
            while (true) {
                if (current == null) {
                    current = waiting.remove(slice);
                }
                if (current == null) {
                    Received got = closed ? null : ClusterMap.this.next();
                    if (got == null) {
                        close();
                        return false;
                    }
                    waiting.put(got.number, got);
                    continue;
                }
                if (pos < current.outcomes.ran()) {
                    if (current.outcomes.errors()[pos] != null) {
                        throw fail(current.failure(pos));
                    }
                    return true;
                }
                current = null;
                slice++;
                pos = 0;
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return (R) current.outcomes.values()[pos++];
        }
    }

    private final class Unordered implements Iterator<R> {
        private Received current;
        private int pos;

        @Override
        public boolean hasNext() {
            while (current == null || pos >= current.outcomes.ran()) {
                current = next_();
                pos = 0;
                if (current == null) {
                    close();
                    return false;
                }
            }
            if (current.outcomes.errors()[pos] != null) {
                throw fail(current.failure(pos));
            }
            return true;
        }

        private Received next_() {
            return closed ? null : ClusterMap.this.next();
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return (R) current.outcomes.values()[pos++];
        }
    }

    /** A finished slice, read through the snippets' loader. */
    private final class Received {
        final int number;
        final long first;
        final SliceResult.Outcomes outcomes;

        Received(SliceResult r) {
            number = r.number();
            first = r.first();
            outcomes = (SliceResult.Outcomes) Codec.decodeUnchecked(r.outcomes(), loader);
        }

        Failure<T> failure(int pos) {
            return new Failure<>(first + pos, items.get((int) first + pos), outcomes.errors()[pos],
                    outcomes.timedOut()[pos] ? Failure.Origin.TIMEOUT : Failure.Origin.FUNCTION);
        }

        Failure<T> firstFailure() {
            for (int i = 0; i < outcomes.ran(); i++) {
                if (outcomes.errors()[i] != null) {
                    return failure(i);
                }
            }
            return null;
        }

        List<Failure<T>> failures() {
            List<Failure<T>> out = new ArrayList<>();
            for (int i = 0; i < outcomes.ran(); i++) {
                if (outcomes.errors()[i] != null) {
                    out.add(failure(i));
                }
            }
            return out;
        }
    }

    /** The next finished slice, drawing progress while waiting; null when all are in. */
    private Received next() {
        if (run == null) {
            return null;
        }
        try {
            while (!run.isDone()) {
                SliceResult r = run.next(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (r != null) {
                    jvms.add(r.jvm());
                    Received received = new Received(r);
                    if (bar != null) {
                        bar.step(received.outcomes.ran());
                        bar.refresh();
                    }
                    return received;
                }
                if (bar != null) {
                    bar.refresh();
                }
            }
            return null;
        } catch (InterruptedException e) {
            run.cancel();
            finish(ProgressState.Status.INTERRUPTED, "interrupted: Spark job cancelled");
            closed = true;
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("interrupted; the Spark job was cancelled");
            c.initCause(e);
            throw c;
        } catch (RuntimeException e) {
            run.cancel();
            finish(ProgressState.Status.FAILED, String.valueOf(e.getMessage()));
            closed = true;
            throw e;
        }
    }

    private ParException fail(Failure<T> failure) {
        run.cancel(); // a failure came from a slice, so there is a run
        ParException e = new ParException(failure);
        finish(ProgressState.Status.FAILED, e.getMessage());
        closed = true;
        return e;
    }

    private void finish(ProgressState.Status status, String detail) {
        if (bar != null) {
            bar.finish(status, detail);
        }
    }

    /** A new list the caller may change, as local {@code pmap}'s. */
    @SuppressWarnings("unchecked")
    private static <R> List<R> resultList(Object[] values) {
        return (List<R>) new ArrayList<>(Arrays.asList(values));
    }
}
