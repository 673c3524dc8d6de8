package dev.parkit.spark.connect.internal;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState;
import dev.parkit.spark.internal.Codec;
import dev.parkit.spark.internal.Packager;
import dev.parkit.spark.internal.Slice;
import dev.parkit.spark.internal.SliceResult;
import dev.parkit.spark.internal.TaskPackage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.sql.SparkSession;

/**
 * One map call over Spark Connect, as seen from the calling thread: slices the items, packs the
 * function into a content-addressed {@link TaskPackage} (as the driver-in-kernel path does),
 * starts a {@link ConnectRun}, then takes finished slices, draws progress and applies the same
 * ordering and failure rules as local ParKit. Only the calling thread (or the thread that
 * consumes a lazy result stream) touches it.
 *
 * <p>Slices may arrive in any order: each carries its number, and results are placed by it.
 *
 * @param <T> the item type
 * @param <R> the result type
 */
public final class ConnectMap<T, R> implements AutoCloseable {
    private static final long POLL_MILLIS = 50;
    private static final int SLICES_PER_CORE = 4;
    /** Work per slice worth a Spark task of its own, once item costs are known. */
    private static final long SLICE_NANOS = 100_000_000L;

    private final List<T> items;
    private final ClassLoader loader;
    private final ConnectRun run;
    private final ProgressBar bar;
    private final Set<String> jvms;
    private final ItemCosts costs;
    private final String function;
    private long ranItems;
    private long ranNanos;
    private boolean closed;

    private ConnectMap(SparkSession spark, int cores, ItemCosts costs, ParFunction<? super T, ? extends R> f,
            List<T> items, Options o, boolean stopAtFirstFailure, Set<String> jvms) {
        this.items = items;
        this.jvms = jvms;
        this.costs = costs;
        this.function = f.getClass().getName();
        ClassLoader l = f.getClass().getClassLoader();
        this.loader = l != null ? l : Thread.currentThread().getContextClassLoader();
        int perSlice = o.chunkSize() > 0 ? o.chunkSize() : perSlice(items.size(), cores, costs.of(function));
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
        this.bar = o.progressLabel() == null ? null : new ProgressBar(o.progressLabel(), items.size(), Displays.current());
        this.run = ConnectRun.start(spark, new SlicesTask(pkg, slices, stopAtFirstFailure), slices.size(), pkg.id(),
                loader);
    }

    /**
     * Items per slice when the caller sets no chunk size: four slices per core for a function not
     * seen before (room to balance uneven items); once its item cost is known, about
     * {@link #SLICE_NANOS} of work per slice, between one slice and four per core, since each
     * Spark task costs tens of milliseconds however small its work.
     */
    static int perSlice(int n, int cores, double nanosPerItem) {
        int slices = cores * SLICES_PER_CORE;
        if (!Double.isNaN(nanosPerItem)) {
            slices = (int) Math.max(1, Math.min(slices, Math.ceil(n * nanosPerItem / SLICE_NANOS)));
        }
        return Math.max(1, (int) Math.ceil(n / (double) slices));
    }

    /**
     * A call over {@code items}, started.
     *
     * @param spark the session
     * @param cores the cluster's cores, for the default slice size
     * @param costs what items of functions cost, learned; updated when the call ends
     * @param f the function
     * @param items the items; not empty
     * @param o the options (chunk size, progress)
     * @param stopAtFirstFailure whether a slice stops at its first failing item
     * @param jvms the executor JVMs seen so far; updated
     * @param <T> the item type
     * @param <R> the result type
     * @return the running call
     */
    public static <T, R> ConnectMap<T, R> start(SparkSession spark, int cores, ItemCosts costs,
            ParFunction<? super T, ? extends R> f, List<T> items, Options o, boolean stopAtFirstFailure,
            Set<String> jvms) {
        return new ConnectMap<>(spark, cores, costs, f, items, o, stopAtFirstFailure, jvms);
    }

    /** @return pmap's answer: every value in input order, or the first failure to arrive, thrown */
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

    /** @return pmapCollect's answer: every value in input order, null where an item failed, and every failure */
    public MapResult<T, R> collect() {
        Object[] values = new Object[items.size()];
        List<Failure<T>> failures = new ArrayList<>();
        try (this) {
            for (Received r; (r = next()) != null; ) {
                System.arraycopy(r.outcomes.values(), 0, values, (int) r.first, r.outcomes.ran());
                failures.addAll(r.failures());
            }
            failures.sort(Comparator.comparingLong(Failure::index));
            int n = failures.size();
            finish(ProgressState.Status.DONE, n == 0 ? null : n + (n == 1 ? " item" : " items") + " failed");
        }
        return new MapResult<>(resultList(values), List.copyOf(failures));
    }

    /**
     * @param ordered input order (pimap) or arrival order (pimapUnordered)
     * @return a lazy stream of the values; closing it cancels the rest
     */
    public Stream<R> stream(boolean ordered) {
        Iterator<R> it = ordered ? new Ordered() : new Unordered();
        return StreamSupport.stream(Spliterators.spliterator(it, items.size(), Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (run.isDone()) {
                costs.record(function, ranItems, ranNanos);
            }
            run.cancel();
            if (bar != null) {
                bar.close();
            }
        }
    }

    private final class Ordered implements Iterator<R> {
        private final Map<Integer, Received> waiting = new HashMap<>();
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
                    Received got = closed ? null : ConnectMap.this.next();
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
                current = closed ? null : ConnectMap.this.next();
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

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return (R) current.outcomes.values()[pos++];
        }
    }

    /** A finished slice, read through the function's loader. */
    private final class Received {
        final int number;
        final long first;
        final SliceResult.Outcomes outcomes;

        Received(SliceResult r) {
            number = r.number();
            first = r.first();
            try {
                outcomes = (SliceResult.Outcomes) Codec.decode(r.outcomes(), loader);
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot read a slice's results sent back by Spark: " + e, e);
            }
        }

        Failure<T> failure(int pos) {
            return new Failure<>(first + pos, items.get((int) first + pos), outcomes.errors()[pos]);
        }

        Failure<T> firstFailure() {
            List<Failure<T>> all = failures();
            return all.isEmpty() ? null : all.get(0);
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
        try {
            while (!run.isDone()) {
                SliceDone done = run.next(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (done != null) {
                    SliceResult r = done.result();
                    jvms.add(r.jvm());
                    Received received = new Received(r);
                    ranItems += received.outcomes.ran();
                    ranNanos += done.nanos();
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
            finish(ProgressState.Status.INTERRUPTED, "interrupted: Spark Connect operation cancelled");
            closed = true;
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException(
                    "interrupted; the Spark Connect operation was cancelled on the server");
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
        run.cancel();
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

    @SuppressWarnings("unchecked")
    private static <R> List<R> resultList(Object[] values) {
        return (List<R>) new ArrayList<>(Arrays.asList(values)); // the caller's to change, as local pmap's
    }
}
