package dev.parkit.benchmark;

import dev.parkit.benchmark.Report.Check;
import dev.parkit.speedup.OtherLoad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Times ParKit against a serial loop and the other ways of mapping in Java ({@link Contenders}),
 * side by side in one run, with 1, 2 and 4 workers (quick mode: 2), and prints medians, speedups
 * and efficiencies, a summary of ParKit against the best contender on each workload, the first
 * {@code pmap} in fresh JVMs, then the targets met or missed. Every result is checked against the
 * serial loop's.
 *
 * <p>Two modes, both by default, and side by side at the end: <b>fresh</b> runs the rows in their
 * order in the JVM as it started; <b>long-lived</b> then runs a notebook's afternoon in the same
 * JVM ({@link Afternoon}: dozens of functions through every kind of call) and the rows again, in
 * a shuffled order, since a notebook kernel is one JVM that runs many functions. {@code --fresh}
 * or {@code --long-lived} runs one of them.
 *
 * <p>Usage: {@code ./bench [--quick] [--fresh | --long-lived] [--only 1,3a,...]} (or
 * {@code PARKIT_QUICK=1 ./bench}). Quick mode shrinks the sizes and rounds to finish in a few
 * minutes; {@code --only} runs the named workloads. {@code ./bench --jmh [JMH options]} runs the
 * JMH benchmarks instead ({@link Jmh}). Exit status: 0 when every result was right (a missed
 * target is reported, not failed: timings on a shared machine are noisy), 1 when a result was
 * wrong or a child JVM failed, 2 for bad arguments.
 */
public final class Main {
    private static final List<String> IDS = List.of("1", "2a", "2b", "2c", "3a", "3b", "4", "5", "6", "7");
    private static final String USAGE = "usage: ./bench [--quick] [--fresh | --long-lived] [--only ID,...]"
            + " [--workers N,...]"
            + "   (or PARKIT_QUICK=1 ./bench)\n"
            + "       ./bench --jmh [JMH options]\n"
            + "  --quick       smaller sizes, fewer rounds, 2 workers only: a few minutes\n"
            + "  --fresh       only the fresh mode: the rows in their order in this JVM as it started\n"
            + "  --long-lived  only the long-lived mode: an afternoon of other calls first, then the rows shuffled\n"
            + "                (-Dbench.seed=N in BENCH_JAVA_OPTS repeats an order)\n"
            + "  --only IDS    run only these workloads, e.g. --only 1,3a,6 (ids: " + String.join(",", IDS) + ";"
            + " 6 and 7 run in child JVMs, once)\n"
            + "  --workers NS  only these worker counts, e.g. --workers 2 (the targets' count): full sizes in a third"
            + " of the time\n"
            + "  --jmh         the JMH benchmarks (per-call cost of tiny calls, fresh and long-lived); JMH options"
            + " follow, e.g. -f 2 -i 10";

    private static final String PAIRED = "paired = the median over rounds of the best contender's time / ParKit's"
            + " time in the same round (each round runs every contender back to back): ParKit / best, robust to load"
            + " that changes between rounds";

    /** Which modes run: both by default. */
    record Modes(boolean fresh, boolean longLived) {
        boolean both() {
            return fresh && longLived;
        }

        @Override
        public String toString() {
            return both() ? "fresh, then long-lived" : fresh ? "fresh only" : "long-lived only";
        }
    }

    /** Sizes and rounds of a run. */
    record Plan(boolean quick, int[] workers, int warmups, int rounds, int progressWarmups, int progressRounds,
            int cpuItems, int tinyItems, int smallItems, int squareItems, long pimapItems, int freshJvms,
            int freshItems, long childTimeoutSeconds) {
        static final Plan FULL = new Plan(false, new int[] {1, 2, 4}, 1, 7, 3, 21, 400, 200_000, 20_000, 1_000_000,
                100_000_000L, 5, 400, 600);
        static final Plan QUICK = new Plan(true, new int[] {2}, 1, 5, 1, 9, 60, 50_000, 5_000, 250_000, 10_000_000L, 5,
                400, 120);

        Plan withWorkers(int[] counts) {
            return new Plan(quick, counts, warmups, rounds, progressWarmups, progressRounds, cpuItems, tinyItems,
                    smallItems, squareItems, pimapItems, freshJvms, freshItems, childTimeoutSeconds);
        }
    }

    private Main() {}

    /**
     * Runs the benchmark and exits with its status.
     *
     * @param args {@code --quick}, {@code --fresh}, {@code --long-lived}, {@code --only ID,...}, {@code --help}
     */
    public static void main(String[] args) throws Exception {
        boolean quick = "1".equals(System.getenv("PARKIT_QUICK"));
        boolean fresh = true;
        boolean longLived = true;
        Set<String> only = new LinkedHashSet<>(IDS);
        int[] workers = null;
        if (args.length > 0 && args[0].equals("--jmh")) {
            Jmh.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--fresh" -> longLived = false;
                case "--long-lived" -> fresh = false;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        usage("--only needs a list of workload ids");
                    }
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    if (!IDS.containsAll(only)) {
                        usage("unknown workload id in " + args[i]);
                    }
                }
                case "--workers" -> {
                    if (i + 1 == args.length) {
                        usage("--workers needs a list of worker counts");
                    }
                    try {
                        workers = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                    } catch (NumberFormatException e) {
                        usage("--workers needs whole numbers, got " + args[i]);
                    }
                    if (Arrays.stream(workers).anyMatch(n -> n < 1)) {
                        usage("--workers needs counts of at least 1, got " + args[i]);
                    }
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (!fresh && !longLived) {
            usage("--fresh and --long-lived exclude each other (neither runs both)");
        }
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        System.exit(run(workers == null ? plan : plan.withWorkers(workers), only, new Modes(fresh, longLived)));
    }

    private static void usage(String problem) {
        System.err.println(problem + "\n" + USAGE);
        System.exit(2);
    }

    static int run(Plan p, Set<String> only, Modes modes) throws Exception {
        long start = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("ParKit benchmark (%s; %s): Java %s, %d processors, heap %d MB, workers %s, %d warm-up + %d"
                        + " measured rounds per workload (%d where a serial run is under %d ms), interleaved; medians%n",
                p.quick() ? "quick" : "full", modes, System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20, Arrays.toString(p.workers()), p.warmups(), p.rounds(),
                Rows.SHORT_ROUNDS_FACTOR * p.rounds(), Rows.SHORT_NANOS / 1_000_000);
        System.out.println("speedup = serial median / median; efficiency = speedup / workers; cores busy = median of this"
                + " JVM's CPU time / wall time (all its threads: about 1 when items ran one at a time); with "
                + rt.availableProcessors() + " cores the best possible speedup is " + rt.availableProcessors()
                + ".0, so 4 workers are oversubscribed");
        System.out.println("parallelStream runs in a new ForkJoinPool(workers), not the common pool, so it gets the"
                + " same number of threads as the others; the executors and parallel-collectors share a fixed pool of"
                + " workers threads");
        System.out.println(Contenders.hasMapConcurrent() ? "Gatherers.mapConcurrent: measured (one virtual thread per"
                + " item)\n" : "Gatherers.mapConcurrent: not on this JVM (Java 24+); run with JAVA_HOME set to a newer"
                + " JDK to include it\n");

        Spin spin = Spin.calibrate(p.quick() ? 300_000_000L : 800_000_000L);
        System.out.printf("calibrated busy work: %.3f ns per iteration; 1 us = %d, 10 us = %d, 2 ms = %d iterations%n%n",
                spin.nanosPerIteration, spin.iterationsFor(1e3), spin.iterationsFor(1e4), spin.iterationsFor(2e6));

        OtherLoad before = new OtherLoad();
        double cpuPlain = PlainThreads.speedup(2, p.rounds(), PlainThreads.busyWork(100, spin.iterationsFor(2e6), 2));
        double boxPlain = PlainThreads.speedup(2, p.rounds(), PlainThreads.boxedSquares(p.squareItems(), 2));
        System.out.printf("plain threads: 2 threads, each on an equal share with no scheduling, hand-off or result"
                + " list, vs 1 thread doing both shares (what this machine gives; noisy too):%n  %.3fx on 2 ms busy-work"
                + " items, %.3fx on boxing x * x for %,d integers into an array; other processes used %.2f cores"
                + " meanwhile%n%n", cpuPlain, boxPlain, p.squareItems(), before.coresSince());

        List<Check> checks = new ArrayList<>();
        List<String> rowIds = Rows.IDS.stream().filter(only::contains).toList();
        List<Report.Best> fresh = List.of();
        List<Report.Best> longLived = List.of();
        try (Contenders cs = new Contenders()) {
            Rows rows = new Rows(p, cs, spin, cpuPlain, boxPlain);
            if (modes.fresh() && !rowIds.isEmpty()) {
                System.out.println("=== fresh: the rows in their order, in this JVM as it started ===\n");
                fresh = pass(rows, rowIds, checks, modes.both() ? "fresh: " : "");
            }
            if (modes.longLived() && !rowIds.isEmpty()) {
                long seed = Long.getLong("bench.seed", System.nanoTime());
                Afternoon.Done a = Afternoon.run(seed, p.quick() ? 4 : 6, p.quick() ? 0.5 : 1.0);
                List<String> order = new ArrayList<>(rowIds);
                Collections.shuffle(order, new Random(seed));
                System.out.printf("=== long-lived: first an afternoon in this JVM (%d cells, %d calls of ParKit, the JDK"
                        + " and an executor, %,d items, %,d failures, %.1f s), then the rows in shuffled order %s"
                        + " (seed %d: -Dbench.seed=%d repeats it) ===%n%n", a.cells(), a.calls(), a.items(),
                        a.failures(), a.seconds(), order, seed, seed);
                longLived = pass(rows, order, checks, modes.both() ? "long-lived: " : "");
            }
        }
        if (modes.both() && !fresh.isEmpty()) {
            Report.print(Report.modes("Fresh and long-lived side by side, " + Rows.TARGET_WORKERS + " workers: speedup"
                    + " over the serial loop, ParKit / best other contender in the same pass", fresh, longLived));
            System.out.println(PAIRED);
            System.out.println();
        }
        boolean ok = !only.contains("6") || pimapUnderSmallHeap(p);
        if (only.contains("7")) {
            ok &= freshJvms(p, checks);
        }
        if (!checks.isEmpty()) {
            Report.print(Report.targets(checks));
        }
        long missed = checks.stream().filter(c -> !c.met()).count();
        System.out.printf("%d of %d targets met; all results equal the serial loop's%s; total time %.0f s%n",
                checks.size() - missed, checks.size(), ok ? "" : "; a child JVM run FAILED",
                (System.nanoTime() - start) / 1e9);
        return ok ? 0 : 1;
    }

    /** Runs one mode's rows and prints its summary; its targets are named with {@code prefix}. */
    private static List<Report.Best> pass(Rows rows, List<String> order, List<Check> checks, String prefix)
            throws Exception {
        List<Check> mine = new ArrayList<>();
        List<Report.Best> summary = rows.run(order, mine);
        for (Check c : mine) {
            checks.add(new Check(prefix + c.what(), c.goal(), c.measured(), c.met(), c.plainThreads()));
        }
        if (!summary.isEmpty()) {
            Report.print(Report.best(prefix + "Summary at " + Rows.TARGET_WORKERS + " workers: speedup over the serial"
                    + " loop, ParKit against the best other contender in the same run", summary));
            System.out.println(PAIRED);
            System.out.println();
        }
        return summary;
    }

    /** Workload 6: pimap over a huge lazy source in a child JVM with a 64 MB heap. */
    private static boolean pimapUnderSmallHeap(Plan p) throws Exception {
        System.out.printf("6. pimap(x -> 2L * x + 1) over Stream.iterate(0, i -> i + 1).limit(%,d), summed, 2 workers,"
                + " in a child JVM with %s%n", p.pimapItems(), PimapChild.HEAP);
        ChildJvm.Outcome o = PimapChild.launch(p.pimapItems(), 2, p.childTimeoutSeconds());
        if (o.ok()) {
            System.out.printf("   completed under %s: wall time %.1f s (JVM start included); %s%n%n", PimapChild.HEAP,
                    o.wallNanos() / 1e9, o.line());
        } else {
            System.out.printf("   FAILED under %s after %.1f s: %s%n%n", PimapChild.HEAP, o.wallNanos() / 1e9, o.line());
        }
        return o.ok();
    }

    /** Workload 7: the first pmap in fresh JVMs against two bare threads in the same JVMs. */
    private static boolean freshJvms(Plan p, List<Check> checks) throws Exception {
        List<FreshChild.Result> pmapFirst = new ArrayList<>();
        List<FreshChild.Result> threadsFirst = new ArrayList<>();
        for (int i = 0; i < 2 * p.freshJvms(); i++) { // the two orders alternate
            try {
                (i % 2 == 0 ? pmapFirst : threadsFirst).add(
                        FreshChild.launch(p.freshItems(), i % 2 == 1, p.childTimeoutSeconds()));
            } catch (IllegalStateException e) {
                System.out.println("7. " + e.getMessage() + "\n");
                return false;
            }
        }
        String items = p.freshItems() + " items x ~0.75 ms, " + p.freshJvms() + " JVMs";
        Report.print(Report.fresh("7. the first pmap in a fresh JVM: serial loop first, then the JVM's first pmap, then 2"
                + " bare threads; " + items, pmapFirst));
        Report.print(Report.fresh("7'. the same with the 2 bare threads first, then the pmap; " + items, threadsFirst));
        System.out.println("bare threads: even and odd indices on two new threads, no scheduling; first item = from"
                + " calling pmap to its first item starting; others = other processes' cores meanwhile. The first"
                + " parallel run of a fresh JVM, pmap or bare threads, also pays for the JIT's work that the serial loop"
                + " left unfinished, so the reference for the first pmap is the bare threads run first (7')\n");
        double[] pmap = pmapFirst.stream().mapToDouble(FreshChild.Result::pmapSpeedup).sorted().toArray();
        double[] threads = threadsFirst.stream().mapToDouble(FreshChild.Result::threadsSpeedup).sorted().toArray();
        checks.add(Check.atLeast("7. first pmap in a fresh JVM, worst of " + pmap.length, pmap[0], 1.85, threads[0]));
        checks.add(Check.atLeast("7. first pmap in a fresh JVM, median of " + pmap.length, pmap[pmap.length / 2], 1.85,
                threads[threads.length / 2]));
        return true;
    }

}
