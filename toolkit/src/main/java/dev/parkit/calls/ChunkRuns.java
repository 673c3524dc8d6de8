package dev.parkit.calls;

import dev.parkit.Failure;
import dev.parkit.MapResult;
import dev.parkit.Mapper;
import dev.parkit.Options;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.Pool;
import dev.parkit.WorkerFunction;
import dev.parkit.internal.ChunkTask;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The far side of a {@link ChunkTask}: runs one chunk's items through ParKit's own local engine
 * where the chunk arrived (a cluster's executor), so per-item timeouts, failure accounting,
 * interrupts and worker state work there exactly as they do locally, and turns what happened into
 * the chunk's {@link ChunkTask.Outcomes}.
 *
 * <p>The thread that calls it is the local call's caller: interrupting it (a cancelled Spark task)
 * stops the items as an interrupt stops any call, within about a second even when an item ignores
 * it, and throws {@link java.util.concurrent.CancellationException}.
 */
public final class ChunkRuns {
    private ChunkRuns() {}

    /**
     * Runs {@code f} over {@code items} on {@code here}.
     *
     * @param here the local mapper the items run on (its workers are the chunk's parallelism)
     * @param f the function
     * @param items the chunk's items
     * @param stopAtFirstFailure true to stop at the first failure, in input order (every item
     *     before it still runs); false to run every item
     * @param options the local call's options: workers, timeout
     * @param progress told 1 each time an item ends, while the chunk runs
     * @return each item's outcome
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    @SuppressWarnings("unchecked")
    public static ChunkTask.Outcomes run(Mapper here, ParFunction<?, ?> f, Object[] items, boolean stopAtFirstFailure,
            Options options, IntConsumer progress) {
        ParFunction<Object, Object> g = (ParFunction<Object, Object>) Objects.requireNonNull(f, "f must not be null");
        AtomicLong firstStart = new AtomicLong();
        ParFunction<Object, Object> counted = x -> {
            started(firstStart);
            try {
                return g.apply(x);
            } finally {
                progress.accept(1);
            }
        };
        return run(items, stopAtFirstFailure, firstStart,
                () -> here.pimap(counted, Arrays.asList(items), options),
                () -> here.pmapCollect(counted, Arrays.asList(items), options));
    }

    /**
     * As {@link #run(Mapper, ParFunction, Object[], boolean, Options, IntConsumer)}, with each
     * worker's state of {@code pool}.
     *
     * @param pool the local pool, whose workers hold the state
     * @param f the function, given the worker's state and an item
     * @param items the chunk's items
     * @param stopAtFirstFailure true to stop at the first failure, in input order
     * @param options the local call's options
     * @param progress told 1 each time an item ends
     * @param <S> the state's type
     * @return each item's outcome
     */
    @SuppressWarnings("unchecked")
    public static <S> ChunkTask.Outcomes run(Pool<S> pool, WorkerFunction<? super S, ?, ?> f, Object[] items,
            boolean stopAtFirstFailure, Options options, IntConsumer progress) {
        WorkerFunction<S, Object, Object> g = (WorkerFunction<S, Object, Object>) Objects.requireNonNull(f,
                "f must not be null");
        AtomicLong firstStart = new AtomicLong();
        WorkerFunction<S, Object, Object> counted = (s, x) -> {
            started(firstStart);
            try {
                return g.apply(s, x);
            } finally {
                progress.accept(1);
            }
        };
        return run(items, stopAtFirstFailure, firstStart,
                () -> pool.pimap(counted, Arrays.asList(items), options),
                () -> pool.pmapCollect(counted, Arrays.asList(items), options));
    }

    /** Notes when the chunk's first item started: a read per item after that. */
    private static void started(AtomicLong firstStart) {
        if (firstStart.get() == 0) {
            firstStart.compareAndSet(0, System.nanoTime());
        }
    }

    private static ChunkTask.Outcomes run(Object[] items, boolean stopAtFirstFailure, AtomicLong firstStart,
            java.util.function.Supplier<Stream<Object>> lazy,
            java.util.function.Supplier<MapResult<Object, Object>> collect) {
        int n = items.length;
        long t0 = System.nanoTime();
        Object[] values = new Object[n];
        Throwable[] errors = new Throwable[n];
        boolean[] timedOut = new boolean[n];
        if (!stopAtFirstFailure) {
            MapResult<Object, Object> r = collect.get();
            List<Object> vs = r.values();
            for (int i = 0; i < n; i++) {
                values[i] = vs.get(i);
            }
            for (Failure<Object> failure : r.failures()) {
                put(failure, errors, timedOut);
            }
            return new ChunkTask.Outcomes(values, errors, timedOut, n, itemsNanos(t0, firstStart));
        }
        int ran = 0;
        try (Stream<Object> results = lazy.get()) {
            Iterator<Object> it = results.iterator();
            try {
                while (it.hasNext()) {
                    values[ran] = it.next();
                    ran++;
                }
            } catch (ParException e) {
                Failure<?> failure = e.failure();
                put(failure, errors, timedOut);
                ran = (int) failure.index() + 1;
            }
        }
        return new ChunkTask.Outcomes(values, errors, timedOut, ran, itemsNanos(t0, firstStart));
    }

    /**
     * The items' time: from the first item's start, so that what the local call does before it
     * (a fresh executor starts its worker thread and loads the engine's classes: 9 to 12 ms for a
     * first chunk of one 1 ms item on a quiet machine) is not taken for the items' cost.
     */
    private static long itemsNanos(long t0, AtomicLong firstStart) {
        long first = firstStart.get();
        return System.nanoTime() - (first != 0 ? first : t0);
    }

    private static void put(Failure<?> failure, Throwable[] errors, boolean[] timedOut) {
        int i = (int) failure.index();
        errors[i] = failure.error();
        timedOut[i] = failure.origin() == Failure.Origin.TIMEOUT;
    }
}
