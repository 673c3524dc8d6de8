package dev.parkit.speedupmark;

import dev.parkit.Par;
import java.util.ArrayList;
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
     */
    record Contender(String name, int workers, Run run) {}

    static final String SERIAL = "serial loop";
    static final String STREAM = "parallelStream";
    static final String EXECUTOR = "executor/item";
    static final String PARKIT = "ParKit pmap";

    private final Map<Integer, ForkJoinPool> forkJoinPools = new TreeMap<>();
    private final Map<Integer, ExecutorService> executors = new TreeMap<>();

    /** The serial loop, then for each worker count: parallelStream, executor/item, ParKit. */
    List<Contender> all(int... workerCounts) {
        List<Contender> list = new ArrayList<>();
        list.add(serial());
        for (int w : workerCounts) {
            list.add(parallelStream(w));
            list.add(executorPerItem(w));
            list.add(parkit(w));
        }
        return list;
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

    Contender executorPerItem(int workers) {
        ExecutorService pool = executors.computeIfAbsent(workers, n -> Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "bench-executor-" + n);
            t.setDaemon(true);
            return t;
        }));
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
