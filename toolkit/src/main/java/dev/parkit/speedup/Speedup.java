package dev.parkit.speedup;

import dev.parkit.display.Displays;

import dev.parkit.ParFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Measures how a function's speed grows with workers: a small immutable builder, then
 * {@link #run()}. Each method returns a new {@code Speedup}.
 *
 * <pre>{@code
 * SpeedupResult r = Speedup.of(x -> slowSquare(x), range(400))
 *         .workers(1, 2, 4, 8).warmup(2).repetitions(5).label("slowSquare")
 *         .run();
 * r.display();
 * }</pre>
 *
 * <p><b>What runs.</b> Three kinds of run: the plain serial loop ({@code for (x : xs)
 * f.apply(x)}, no ParKit), on a fresh thread of its own rather than the caller's; {@code pmap(f,
 * xs, options().workers(n))} for every worker count; and, for every worker count n from 2 to the
 * available cores, n bare threads, each on a fixed equal share of the items (the reference for
 * what the machine gives without ParKit). First the serial loop once, for the reference results.
 * Then rounds: each round runs every configuration once, in an order rotated from round to round
 * so that none always follows another; {@code warmup} rounds (for the JIT) are not kept, then
 * {@code repetitions} timed rounds are. A timed round during which other processes kept more than
 * 0.2 cores busy is run again, at most {@code repetitions} times in all ({@link
 * Measurement#rerunRounds()}). Every run's results, warm-up or timed, must equal the reference
 * results exactly ({@link Objects#deepEquals}: arrays by content, doubles bit for bit), or the
 * run stops with an {@link IllegalStateException} naming the configuration and the first
 * differing index. A progress bar counts the runs.
 *
 * <p><b>Defaults.</b> Worker counts 1, 2, 4, ... up to twice the available cores, plus the core
 * count itself (for 6 cores: 1, 2, 4, 6, 8, 12); 3 warm-up runs and 5 timed runs per
 * configuration. With the environment variable {@code PARKIT_QUICK=1} (or the system property
 * {@code parkit.quick=true}), used when notebooks run as tests: 1 warm-up and 3 timed runs.
 * Values set on the builder win over both.
 *
 * <p><b>The function</b> must be deterministic (its result depends only on its item) and
 * thread-safe, as for {@code pmap}. The items are copied into a list when the builder is made.
 */
public final class Speedup {

    static final int DEFAULT_WARMUP = 3;
    static final int DEFAULT_REPETITIONS = 5;
    static final int QUICK_WARMUP = 1;
    static final int QUICK_REPETITIONS = 3;

    private final ParFunction<Object, Object> f;
    private final List<Object> items;
    private final int[] workers; // null: the default for the machine
    private final int warmup; // -1: the default
    private final int repetitions; // -1: the default
    private final String label;
    private final boolean progress;

    private Speedup(ParFunction<Object, Object> f, List<Object> items, int[] workers, int warmup,
            int repetitions, String label, boolean progress) {
        this.f = f;
        this.items = items;
        this.workers = workers;
        this.warmup = warmup;
        this.repetitions = repetitions;
        this.label = label;
        this.progress = progress;
    }

    /**
     * Measures how much faster {@code f} runs over {@code xs} with 1, 2, 4, ... workers, with the
     * defaults: {@code speedupOf(f, xs).run()}. In a notebook, a result that ends a cell shows as
     * its chart and table.
     *
     * <pre>{@code
     * speedup(x -> slow(x), range(400))
     * }</pre>
     *
     * @param f the function; deterministic and thread-safe
     * @param xs the items (not empty)
     * @param <T> the item type
     * @return the measurement
     * @throws NullPointerException if {@code f} or {@code xs} is null
     * @throws IllegalArgumentException if {@code xs} is empty
     * @throws IllegalStateException if a run's results differ from the serial loop's
     * @throws dev.parkit.ParException if {@code f} throws in a parallel run
     */
    public static <T> SpeedupResult speedup(ParFunction<? super T, ?> f, Iterable<? extends T> xs) {
        return of(f, xs).run();
    }

    /**
     * A speedup measurement to configure before {@code run()}:
     * {@code speedupOf(f, xs).workers(1, 2, 4, 8).repetitions(7).label("parse").run()}.
     *
     * @param f the function; deterministic and thread-safe
     * @param xs the items (not empty), read once now
     * @param <T> the item type
     * @return the builder
     * @throws NullPointerException if {@code f} or {@code xs} is null
     * @throws IllegalArgumentException if {@code xs} is empty
     */
    public static <T> Speedup speedupOf(ParFunction<? super T, ?> f, Iterable<? extends T> xs) {
        return of(f, xs);
    }

    /**
     * A speedup measurement of {@code f} over {@code xs}, with the defaults.
     *
     * @param f the function; deterministic and thread-safe
     * @param xs the items, read once now
     * @param <T> the item type
     * @return the builder
     * @throws NullPointerException if {@code f} or {@code xs} is null
     * @throws IllegalArgumentException if {@code xs} is empty
     */
    public static <T> Speedup of(ParFunction<? super T, ?> f, Iterable<? extends T> xs) {
        Objects.requireNonNull(f, "f must not be null");
        Objects.requireNonNull(xs, "xs must not be null");
        List<Object> items = new ArrayList<>();
        xs.forEach(items::add);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("xs must hold at least one item, got none");
        }
        @SuppressWarnings("unchecked")
        ParFunction<Object, Object> g = (ParFunction<Object, Object>) f;
        return new Speedup(g, items, null, -1, -1, "", true);
    }

    /**
     * Sets the worker counts to measure; duplicates are dropped and the rest sorted.
     *
     * @param counts the worker counts, each {@code >= 1}
     * @return the new builder
     * @throws NullPointerException if {@code counts} is null
     * @throws IllegalArgumentException if {@code counts} is empty or holds a count below 1
     */
    public Speedup workers(int... counts) {
        Objects.requireNonNull(counts, "counts must not be null");
        if (counts.length == 0) {
            throw new IllegalArgumentException("workers needs at least one worker count, got none");
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (int n : counts) {
            if (n < 1) {
                throw new IllegalArgumentException("worker counts must be >= 1, got " + n);
            }
            set.add(n);
        }
        int[] sorted = set.stream().mapToInt(Integer::intValue).toArray();
        return new Speedup(f, items, sorted, warmup, repetitions, label, progress);
    }

    /**
     * Sets the untimed warm-up runs per configuration, which let the JIT compile the code first.
     *
     * @param runs the number of warm-up runs, {@code >= 0}
     * @return the new builder
     * @throws IllegalArgumentException if {@code runs < 0}
     */
    public Speedup warmup(int runs) {
        if (runs < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + runs);
        }
        return new Speedup(f, items, workers, runs, repetitions, label, progress);
    }

    /**
     * Sets the timed runs per configuration; the table reports their median, min and max.
     *
     * @param runs the number of timed runs, {@code >= 1}
     * @return the new builder
     * @throws IllegalArgumentException if {@code runs < 1}
     */
    public Speedup repetitions(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + runs);
        }
        return new Speedup(f, items, workers, warmup, runs, label, progress);
    }

    /**
     * Names what is measured, for the chart title, the table and the progress bar.
     *
     * @param text the label
     * @return the new builder
     * @throws NullPointerException if {@code text} is null
     */
    public Speedup label(String text) {
        Objects.requireNonNull(text, "label must not be null");
        return new Speedup(f, items, workers, warmup, repetitions, text, progress);
    }

    /**
     * Shows or hides the progress bar of the runs (shown by default).
     *
     * @param show whether to show it
     * @return the new builder
     */
    public Speedup progress(boolean show) {
        return new Speedup(f, items, workers, warmup, repetitions, label, show);
    }

    /**
     * Runs the measurement (see the class doc) and returns its result.
     *
     * @return the measured times and their views
     * @throws IllegalStateException if a run's results differ from the serial loop's, naming the
     *     worker count and the first differing index; or if {@code f} throws in the serial loop,
     *     naming the item, with the exception as cause
     * @throws dev.parkit.ParException if {@code f} throws in a parallel run
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public SpeedupResult run() {
        boolean quick = quickMode();
        int[] counts = workers != null ? workers.clone()
                : defaultWorkers(Runtime.getRuntime().availableProcessors());
        int w = warmup >= 0 ? warmup : quick ? QUICK_WARMUP : DEFAULT_WARMUP;
        int r = repetitions >= 1 ? repetitions : quick ? QUICK_REPETITIONS : DEFAULT_REPETITIONS;
        SpeedupRunner.Plan plan = new SpeedupRunner.Plan(f, items, counts, w, r, label, progress);
        SpeedupResult result = SpeedupResult.of(new SpeedupRunner(plan).measure());
        // So that a result ending a notebook cell shows its chart and table, not its toString().
        Displays.current().renderAs(SpeedupResult.class, List.of("text/html", "text/plain"), SpeedupResult::mimeBundle);
        return result;
    }

    @Override
    public String toString() {
        return "Speedup[" + (label.isEmpty() ? "" : "\"" + label + "\", ") + items.size() + " items, workers="
                + (workers == null ? "default" : Arrays.toString(workers))
                + ", warmup=" + (warmup >= 0 ? warmup : "default")
                + ", repetitions=" + (repetitions >= 1 ? repetitions : "default") + "]";
    }

    /**
     * The default worker counts for {@code cores} processors: powers of two below twice the
     * cores, the cores, and twice the cores.
     */
    static int[] defaultWorkers(int cores) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int n = 1; n < 2 * cores; n *= 2) {
            set.add(n);
        }
        set.add(cores);
        set.add(2 * cores);
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True when PARKIT_QUICK=1 (or true) is in the environment, or parkit.quick=true is set. */
    static boolean quickMode() {
        String env = System.getenv("PARKIT_QUICK");
        return "1".equals(env) || "true".equalsIgnoreCase(env) || Boolean.getBoolean("parkit.quick");
    }
}
