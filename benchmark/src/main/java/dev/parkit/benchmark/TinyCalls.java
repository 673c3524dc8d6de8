package dev.parkit.benchmark;

import dev.parkit.Par;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of a tiny, warm map call: {@code x * x} over 5 boxed integers, 2 workers.
 * What this times is the call's overhead (hand-off to the workers, waking them, collecting the
 * results), since the work itself is a few nanoseconds. The serial loop is the floor.
 *
 * <p>Each benchmark runs twice, each time in a fork of its own: fresh, and long-lived (the fork
 * first runs an {@link Afternoon} of other calls, as a notebook kernel would have).
 *
 * <p>Run with {@code ./bench --jmh}; the defaults here are short (one fork, 3 x 1 s warm-up, 5 x 1 s
 * measured per benchmark); JMH options after {@code --jmh} override them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TinyCalls {
    @Param("5")
    public int items;

    @Param("2")
    public int workers;

    /** Whether the fork first runs a notebook's afternoon of other calls ({@link Afternoon}): the long-lived mode. */
    @Param({"false", "true"})
    public boolean longLived;

    private List<Integer> xs;
    private final Function<Integer, Integer> square = x -> x * x;
    private ForkJoinPool forkJoin;
    private dev.parkit.Options options;

    /** Makes the items and the pool. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (longLived) {
            Afternoon.run(20, 6, 1.0);
        }
        xs = Workload.indices(items);
        forkJoin = new ForkJoinPool(workers);
        options = Par.options().workers(workers);
    }

    /** Closes the pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        forkJoin.shutdown();
        Par.shutdown();
    }

    /** @return {@code pmap(f, xs, options().workers(workers))} */
    @Benchmark
    public List<Integer> pmap() {
        return Par.pmap(square::apply, xs, options);
    }

    /** @return {@code xs.parallelStream().map(f).collect(toList())} on the common pool, as most code writes it */
    @Benchmark
    public List<Integer> parallelStreamCommonPool() {
        return xs.parallelStream().map(square).collect(Collectors.toList());
    }

    /** @return the same parallelStream submitted to a {@code ForkJoinPool(workers)}, as {@code ./bench} runs it */
    @Benchmark
    public List<Integer> parallelStreamOwnPool() throws ExecutionException, InterruptedException {
        return forkJoin.submit(() -> xs.parallelStream().map(square).collect(Collectors.toList())).get();
    }

    /** @return a for-each loop into an {@link ArrayList}: the floor */
    @Benchmark
    public List<Integer> serialLoop() {
        List<Integer> out = new ArrayList<>(xs.size());
        for (Integer x : xs) {
            out.add(square.apply(x));
        }
        return out;
    }
}
