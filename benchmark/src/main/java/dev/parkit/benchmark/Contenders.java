package dev.parkit.benchmark;

import com.pivovarit.collectors.ParallelCollectors;
import dev.parkit.Par;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ways of mapping that are compared. Each parallel one keeps its threads across rounds, as a
 * notebook session would, so no round pays for starting threads:
 * <ul>
 *   <li>{@code serial}: a for-each loop adding to a pre-sized {@link ArrayList};
 *   <li>{@code parallelStream}: {@code xs.parallelStream().map(f).collect(toList())} submitted to
 *       a {@code new ForkJoinPool(workers)}, so it runs on exactly {@code workers} threads rather
 *       than on the common pool (whose size is fixed at processors - 1);
 *   <li>{@code executor/item}: {@code invokeAll} of one task per item on a fixed pool of
 *       {@code workers} threads, then each future's result in order;
 *   <li>{@code executor/100 chunks}: what a careful programmer writes by hand: {@code invokeAll} of
 *       {@value #HAND_CHUNKS} tasks of consecutive items on the same pool, each writing its results
 *       into one shared {@code Object[]};
 *   <li>{@code parallel-collectors}: {@code ParallelCollectors.parallel(f, toList(), executor, workers)}
 *       (one task per item, at most {@code workers} at once) and its {@code Batching} variant (the
 *       items split into {@code workers} equal batches up front), on the same pool;
 *   <li>{@code Gatherers.mapConcurrent}: {@code xs.stream().gather(mapConcurrent(workers, f)).toList()},
 *       one virtual thread per item, only on a JVM that has it (Java 24+; reached reflectively, so
 *       this module still compiles for Java 17);
 *   <li>{@code ParKit}: {@code Par.pmap(f, xs, options().workers(n))} on ParKit's shared pool.
 * </ul>
 */
final class Contenders implements AutoCloseable {

    /** One way of mapping a workload's function over its items. */
    interface Run {
        List<?> map(Workload w) throws Exception;
    }

    /**
     * @param name the way
     * @param workers how many threads it may use (1 for the serial loop)
     * @param run what is timed
     * @param maxItems the largest workload it is run on: one task per item through a dispatcher
     *     costs some 10 to 25 us an item, so a million tiny items would take most of the run
     */
    record Contender(String name, int workers, Run run, int maxItems) {
        Contender(String name, int workers, Run run) {
            this(name, workers, run, Integer.MAX_VALUE);
        }
    }

    /** Workloads larger than this skip parallel-collectors' per-item collector and mapConcurrent. */
    static final int PER_ITEM_DISPATCH_MAX = 20_000;

    static final String SERIAL = "serial loop";
    static final String STREAM = "parallelStream";
    static final String EXECUTOR = "executor/item";
    static final String CHUNKS = "executor/100 chunks";
    static final String COLLECTORS = "parallel-collectors";
    static final String BATCHING = "parallel-collectors Batching";
    static final String GATHERERS = "Gatherers.mapConcurrent";
    static final String PARKIT = "ParKit pmap";
    static final int HAND_CHUNKS = 100;

    /** Gatherers.mapConcurrent and Stream.gather where the JVM has them (24+), else null. */
    private static final Method MAP_CONCURRENT;
    private static final Method GATHER;

    static {
        Method mapConcurrent = null;
        Method gather = null;
        try {
            mapConcurrent = Class.forName("java.util.stream.Gatherers").getMethod("mapConcurrent", int.class,
                    Function.class);
            gather = Stream.class.getMethod("gather", Class.forName("java.util.stream.Gatherer"));
        } catch (ReflectiveOperationException e) {
            mapConcurrent = null; // before Java 24: no such contender
        }
        MAP_CONCURRENT = mapConcurrent;
        GATHER = gather;
    }

    private final Map<Integer, ForkJoinPool> forkJoinPools = new TreeMap<>();
    private final Map<Integer, ExecutorService> executors = new TreeMap<>();

    /**
     * The serial loop, then for each worker count: parallelStream, executor/item, executor/100
     * chunks, parallel-collectors and its Batching variant, Gatherers.mapConcurrent (Java 24+),
     * ParKit.
     */
    List<Contender> all(int... workerCounts) {
        List<Contender> list = new ArrayList<>();
        list.add(serial());
        for (int w : workerCounts) {
            list.add(parallelStream(w));
            list.add(executorPerItem(w));
            list.add(executorChunks(w));
            list.add(parallelCollectors(w));
            list.add(parallelCollectorsBatching(w));
            if (hasMapConcurrent()) {
                list.add(mapConcurrent(w));
            }
            list.add(parkit(w));
        }
        return list;
    }

    /** @return true when this JVM has {@code Gatherers.mapConcurrent} (Java 24+) */
    static boolean hasMapConcurrent() {
        return MAP_CONCURRENT != null;
    }

    static Contender serial() {
        return new Contender(SERIAL, 1, Contenders::serialMap);
    }

    static List<Object> serialMap(Workload w) {
        Function<Integer, ?> f = w.f();
        List<Object> out = new ArrayList<>(w.size());
        for (Integer x : w.items()) {
            out.add(f.apply(x));
        }
        return out;
    }

    Contender parallelStream(int workers) {
        ForkJoinPool pool = forkJoinPools.computeIfAbsent(workers, ForkJoinPool::new);
        return new Contender(STREAM, workers, w -> {
            Function<Integer, ?> f = w.f();
            return pool.submit(() -> w.items().parallelStream().map(f).collect(Collectors.toList())).get();
        });
    }

    private ExecutorService fixedPool(int workers) {
        return executors.computeIfAbsent(workers, n -> Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "bench-executor-" + n);
            t.setDaemon(true);
            return t;
        }));
    }

    Contender executorPerItem(int workers) {
        ExecutorService pool = fixedPool(workers);
        return new Contender(EXECUTOR, workers, w -> {
            Function<Integer, ?> f = w.f();
            List<Callable<Object>> tasks = new ArrayList<>(w.size());
            for (Integer x : w.items()) {
                tasks.add(() -> f.apply(x));
            }
            List<Object> out = new ArrayList<>(w.size());
            for (Future<Object> result : pool.invokeAll(tasks)) {
                out.add(result.get());
            }
            return out;
        });
    }

    Contender executorChunks(int workers) {
        ExecutorService pool = fixedPool(workers);
        return new Contender(CHUNKS, workers, w -> {
            Function<Integer, ?> f = w.f();
            List<Integer> xs = w.items();
            int n = xs.size();
            int chunks = Math.min(n, HAND_CHUNKS);
            Object[] out = new Object[n];
            List<Callable<Void>> tasks = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) c * n / chunks);
                int to = (int) ((long) (c + 1) * n / chunks);
                tasks.add(() -> {
                    for (int i = from; i < to; i++) {
                        out[i] = f.apply(xs.get(i));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get(); // rethrows a task's failure
            }
            return Arrays.asList(out);
        });
    }

    Contender parallelCollectors(int workers) {
        ExecutorService pool = fixedPool(workers);
        return new Contender(COLLECTORS, workers, w -> {
            Function<Integer, ?> f = w.f();
            return w.items().stream().collect(ParallelCollectors.parallel(f, Collectors.toList(), pool, workers)).join();
        }, PER_ITEM_DISPATCH_MAX);
    }

    Contender parallelCollectorsBatching(int workers) {
        ExecutorService pool = fixedPool(workers);
        return new Contender(BATCHING, workers, w -> {
            Function<Integer, ?> f = w.f();
            return w.items().stream()
                    .collect(ParallelCollectors.Batching.parallel(f, Collectors.toList(), pool, workers)).join();
        });
    }

    /** Gatherers.mapConcurrent; call only when {@link #hasMapConcurrent()}. */
    static Contender mapConcurrent(int workers) {
        return new Contender(GATHERERS, workers, w -> {
            Function<Integer, ?> f = w.f();
            try {
                Object gatherer = MAP_CONCURRENT.invoke(null, workers, f);
                return ((Stream<?>) GATHER.invoke(w.items().stream(), gatherer)).toList();
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
            }
        }, PER_ITEM_DISPATCH_MAX);
    }

    static Contender parkit(int workers) {
        return new Contender(PARKIT, workers, w -> Par.pmap(w.f()::apply, w.items(), Par.options().workers(workers)));
    }

    @Override
    public void close() throws InterruptedException {
        for (ForkJoinPool p : forkJoinPools.values()) {
            p.shutdown();
        }
        for (ExecutorService e : executors.values()) {
            e.shutdown();
        }
        for (ExecutorService e : executors.values()) {
            e.awaitTermination(10, TimeUnit.SECONDS);
        }
        Par.shutdown();
    }
}
