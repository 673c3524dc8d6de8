package dev.parkit.benchmark;

import dev.parkit.MapResult;
import dev.parkit.Options;
import dev.parkit.Par;
import dev.parkit.ParException;
import dev.parkit.ParFunction;
import dev.parkit.Pool;
import dev.parkit.display.Displays;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A realistic afternoon in a notebook kernel, run before the long-lived mode's rows: dozens of
 * different functions (lambdas, method references, records that implement {@link ParFunction},
 * boxed and primitive-ish results, strings, arrays), through every kind of call (pmap over lists,
 * ranges and streams; pimap and pimapUnordered streams read whole or closed early; pmapCollect
 * with failures, and a retry; timeouts; stateful pools and an IO pool; fixed chunk sizes; progress
 * bars), in a seeded shuffled order. Some of the same functions also go through
 * {@code parallelStream}, plain loops and an executor, as a notebook's other cells would, so every
 * contender's shared code has seen them too. Every result is checked, so none of it is dead code.
 */
final class Afternoon {
    /** What the afternoon did. */
    record Done(int cells, int calls, long items, long failures, double seconds) {}

    private final Random random;
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private int calls;

    private Afternoon(long seed) {
        random = new Random(seed);
    }

    /**
     * Runs the afternoon: {@code rounds} passes over every cell, each pass in a new shuffled order.
     *
     * @param seed the shuffle's seed (printed, so a run can be repeated)
     * @param rounds passes over the cells
     * @param scale items per call, relative to the default (quick mode: less)
     */
    static Done run(long seed, int rounds, double scale) throws Exception {
        Afternoon a = new Afternoon(seed);
        long t0 = System.nanoTime();
        List<Cell> cells = a.cells(scale);
        try (var scope = Displays.use(new DiscardingDisplay());
                Pool<Void> pool2 = Par.pool(2);
                Pool<MessageDigest> digests = Par.pool(2, () -> MessageDigest.getInstance("SHA-256"));
                Pool<StringBuilder> builders = Par.pool(2, StringBuilder::new);
                Pool<Void> io = Par.ioPool(4)) {
            Pools pools = new Pools(pool2, digests, builders, io);
            for (int r = 0; r < rounds; r++) {
                List<Cell> order = new ArrayList<>(cells);
                Collections.shuffle(order, a.random);
                for (Cell c : order) {
                    c.run(pools);
                    a.calls++;
                }
            }
        }
        return new Done(cells.size(), a.calls, a.items.get(), a.failures.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** The pools a notebook keeps open for the afternoon. */
    private record Pools(Pool<Void> two, Pool<MessageDigest> digests, Pool<StringBuilder> builders, Pool<Void> io) {}

    /** One notebook cell: one call. */
    private interface Cell {
        void run(Pools p) throws Exception;
    }

    /** A record as a function: a class of its own, not a lambda. */
    record Scale(double k) implements ParFunction<Integer, Double> {
        @Override
        public Double apply(Integer x) {
            return x * k;
        }
    }

    /** Another record, with a string result. */
    record Label(String prefix) implements ParFunction<Integer, String> {
        @Override
        public String apply(Integer x) {
            return prefix + x;
        }
    }

    /** A record whose items are strings. */
    record Count(char c) implements ParFunction<String, Integer> {
        @Override
        public Integer apply(String s) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                n += s.charAt(i) == c ? 1 : 0;
            }
            return n;
        }
    }

    private static int collatz(int x) {
        long v = x + 1L;
        int steps = 0;
        while (v != 1 && steps < 1000) {
            v = (v & 1) == 0 ? v >> 1 : 3 * v + 1;
            steps++;
        }
        return steps;
    }

    private static double busy(int x, int iterations) {
        return Spin.work(x, iterations);
    }

    private static Integer failEvery13(Integer x) {
        if (x % 13 == 0) {
            throw new IllegalStateException("bad item " + x);
        }
        return x;
    }

    private List<Cell> cells(double scale) {
        int many = (int) (50_000 * scale);
        int some = (int) (5_000 * scale);
        int few = Math.max(50, (int) (400 * scale));
        List<Integer> xs = Workload.indices(many);
        List<String> words = IntStream.range(0, some).mapToObj(i -> "w" + Integer.toHexString(i * 7919))
                .collect(Collectors.toList());
        Options two = Par.options().workers(2);
        List<Cell> cells = new ArrayList<>();
        // Lambdas over lists and ranges, boxed results of several types.
        cells.add(p -> count(Par.pmap(x -> x + 1, xs), many));
        cells.add(p -> count(Par.pmap(x -> x * 2L, xs, two), many));
        cells.add(p -> count(Par.pmap((Integer x) -> Math.sqrt(x), Par.range(many)), many));
        cells.add(p -> count(Par.pmap((Integer x) -> x % 7 == 0, xs), many));
        cells.add(p -> count(Par.pmap((Integer x) -> (float) x / 3, xs, two.chunkSize(256)), many));
        cells.add(p -> count(Par.pmap((Integer x) -> new int[] {x, x}, xs), many));
        cells.add(p -> count(Par.pmap((Integer x) -> List.of(x), Par.range(some)), some));
        cells.add(p -> count(Par.pmap((Integer x) -> Optional.of(x).map(v -> v + 3).orElse(0), xs), many));
        cells.add(p -> count(Par.pmap((Integer x) -> (char) ('a' + x % 26), xs, two), many));
        cells.add(p -> count(Par.pmap((Integer x) -> BigInteger.valueOf(x).pow(3), Par.range(some)), some));
        cells.add(p -> count(Par.pmap(Afternoon::collatz, Par.range(some)), some));
        cells.add(p -> count(Par.pmap((Integer x) -> busy(x, 200), Par.range(some)), some));
        cells.add(p -> count(Par.pmap((Integer x) -> busy(x, 20_000), Par.range(few), two), few));
        // Method references, and a Function passed as g::apply.
        cells.add(p -> count(Par.pmap(Integer::toHexString, xs), many));
        cells.add(p -> count(Par.pmap(String::valueOf, Par.range(some)), some));
        cells.add(p -> count(Par.pmap(Integer::bitCount, xs, two), many));
        cells.add(p -> count(Par.pmap(Objects::hashCode, xs), many));
        cells.add(p -> count(Par.pmap(String::length, words), some));
        cells.add(p -> count(Par.pmap(String::toUpperCase, words, two), some));
        Function<Integer, Long> cube = x -> (long) x * x * x;
        cells.add(p -> count(Par.pmap(cube::apply, xs), many));
        Function<String, byte[]> bytes = s -> s.getBytes(StandardCharsets.UTF_8);
        cells.add(p -> count(Par.pmap(bytes::apply, words), some));
        // Records as functions.
        cells.add(p -> count(Par.pmap(new Scale(0.5), xs), many));
        cells.add(p -> count(Par.pmap(new Scale(random.nextInt(9) + 1), Par.range(some), two), some));
        cells.add(p -> count(Par.pmap(new Label("item-"), Par.range(some)), some));
        cells.add(p -> count(Par.pmap(new Count('a'), words, two), some));
        // Streams as sources.
        cells.add(p -> count(Par.pmap((Integer x) -> x ^ 0x5a5a, Stream.iterate(0, i -> i + 1).limit(some)), some));
        cells.add(p -> count(Par.pmap((String s) -> s.repeat(2), words.stream()), some));
        // pimap and pimapUnordered: read whole, summed, closed early.
        cells.add(p -> {
            try (Stream<Long> s = Par.pimap((Integer x) -> (long) x * 3, xs, two)) {
                long sum = s.mapToLong(Long::longValue).sum();
                if (sum != 3L * many * (many - 1) / 2) {
                    throw new IllegalStateException("afternoon: pimap summed to " + sum);
                }
                items.addAndGet(many);
            }
        });
        cells.add(p -> {
            try (Stream<String> s = Par.pimap((Integer x) -> "r" + x, Par.range(some))) {
                count(s.limit(some / 10).toList(), some / 10);
            }
        });
        cells.add(p -> {
            try (Stream<Integer> s = Par.pimapUnordered((Integer x) -> collatz(x), Par.range(some), two)) {
                count(s.collect(Collectors.toList()), some);
            }
        });
        cells.add(p -> {
            try (Stream<Double> s = Par.pimapUnordered(new Scale(2), xs)) {
                items.addAndGet(many);
                if (s.anyMatch(v -> v < 0)) {
                    throw new IllegalStateException("a negative square");
                }
            }
        });
        // Failures: pmap that fails, pmapCollect that collects, and a retry.
        cells.add(p -> {
            try {
                Par.pmap(Afternoon::failEvery13, Par.range(1, some), two);
                throw new IllegalStateException("pmap should have failed");
            } catch (ParException expected) {
                failures.incrementAndGet();
            }
        });
        cells.add(p -> {
            MapResult<Integer, Integer> r = Par.pmapCollect(Afternoon::failEvery13, Par.range(some));
            failures.addAndGet(r.failures().size());
            MapResult<Integer, Integer> again = r.retry(x -> x); // the second time it works
            count(again.values(), some);
        });
        cells.add(p -> {
            MapResult<String, Integer> r = Par.pmapCollect((String s) -> Integer.parseInt(s, 16), words, two);
            failures.addAndGet(r.failures().size());
            items.addAndGet(some);
        });
        // Timeouts: most items quick, a few too slow.
        cells.add(p -> {
            MapResult<Integer, Integer> r = Par.pmapCollect((Integer x) -> {
                if (x % 16 == 0) {
                    Thread.sleep(60);
                }
                return x;
            }, Par.range(32), Par.options().workers(2).timeout(Duration.ofMillis(20)));
            failures.addAndGet(r.failures().size());
            items.addAndGet(32);
        });
        cells.add(p -> count(Par.pmap((Integer x) -> x * 5, xs, two.timeout(Duration.ofSeconds(10))), many));
        // Stateful pools, an IO pool, a pool of one's own.
        cells.add(p -> count(p.digests().pmap((md, s) -> md.digest(s.getBytes(StandardCharsets.UTF_8)), words), some));
        cells.add(p -> count(p.builders().pmap((sb, x) -> {
            sb.setLength(0);
            return sb.append(x).append('!').toString();
        }, xs), many));
        cells.add(p -> {
            try (Stream<Integer> s = p.builders().pimap((sb, w) -> sb.append(w).length(), words)) {
                count(s.toList(), some);
            }
        });
        cells.add(p -> count(p.two().pmap((Integer x) -> x - 1, xs), many));
        cells.add(p -> count(p.two().pmapCollect((Integer x) -> x.toString().toLowerCase(Locale.ROOT), xs)
                .values(), many));
        cells.add(p -> count(p.io().pmap((Integer x) -> {
            Thread.sleep(1);
            return x;
        }, Par.range(40)), 40));
        // With a progress bar (drawn into a display that discards it).
        cells.add(p -> count(Par.pmap((Integer x) -> x | 1, xs, two.progress("afternoon")), many));
        cells.add(p -> count(Par.pmap((String w) -> Map.entry(w, w.length()), words.stream(), two.progress("pairs")),
                some));
        // The same kind of work through the JDK, as other cells would.
        cells.add(p -> count(xs.parallelStream().map(x -> x + 7).collect(Collectors.toList()), many));
        cells.add(p -> count(xs.parallelStream().map(Integer::toBinaryString).toList(), many));
        cells.add(p -> count(words.parallelStream().map(String::trim).toList(), some));
        cells.add(p -> count(xs.stream().map(new Scale(3)::apply).toList(), many));
        cells.add(p -> {
            List<Object> out = new ArrayList<>(many);
            Function<Integer, Object> g = x -> x * 11;
            for (Integer x : xs) {
                out.add(g.apply(x));
            }
            count(out, many);
        });
        cells.add(p -> {
            ExecutorService ex = Executors.newFixedThreadPool(2);
            try {
                List<CompletableFuture<Integer>> fs = new ArrayList<>();
                for (int i = 0; i < few; i++) {
                    int x = i;
                    fs.add(CompletableFuture.supplyAsync(() -> collatz(x), ex));
                }
                count(fs.stream().map(CompletableFuture::join).toList(), few);
            } finally {
                ex.shutdown();
            }
        });
        return cells;
    }

    private void count(List<?> out, int expected) {
        if (out.size() != expected) {
            throw new IllegalStateException("afternoon: expected " + expected + " results, got " + out.size());
        }
        items.addAndGet(expected);
    }
}
