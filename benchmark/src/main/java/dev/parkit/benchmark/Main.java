package dev.parkit.benchmark;

import dev.parkit.Par;
import dev.parkit.speedup.OtherLoad;
import dev.parkit.benchmark.Contenders.Contender;
import dev.parkit.benchmark.Harness.Timing;
import dev.parkit.benchmark.Report.Check;
import dev.parkit.display.Displays;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times ParKit against a serial loop and the other ways of mapping in Java ({@link Contenders}),
 * side by side in one run, with 1, 2 and 4 workers (quick mode: 2), and prints medians, speedups
 * and efficiencies, a summary of ParKit against the best contender on each workload, the first
 * {@code pmap} in fresh JVMs, then the targets met or missed. Every result is checked against the
 * serial loop's.
 *
 * <p>Usage: {@code ./bench [--quick] [--only 1,3a,...]} (or {@code PARKIT_QUICK=1 ./bench}). Quick
 * mode shrinks the sizes and rounds to finish in about a minute; {@code --only} runs the named
 * workloads. {@code ./bench --jmh [JMH options]} runs the JMH benchmarks instead ({@link Jmh}).
 * Exit status: 0 when every result was right (a missed target is reported, not failed: timings on
 * a shared machine are noisy), 1 when a result was wrong or a child JVM failed, 2 for bad arguments.
 */
public final class Main {
    private static final List<String> IDS = List.of("1", "2a", "2b", "2c", "3a", "3b", "4", "5", "6", "7");
    private static final String USAGE = "usage: ./bench [--quick] [--only ID,...]   (or PARKIT_QUICK=1 ./bench)\n"
            + "       ./bench --jmh [JMH options]\n"
            + "  --quick     smaller sizes, fewer rounds, 2 workers only: about a minute\n"
            + "  --only IDS  run only these workloads, e.g. --only 1,3a,6 (ids: " + String.join(",", IDS) + ")\n"
            + "  --jmh       the JMH benchmarks (per-call cost of tiny calls); JMH options follow, e.g. -f 2 -i 10";
    /** The worker count the summary and the targets compare at. */
    static final int TARGET_WORKERS = 2;
    /**
     * A workload whose serial loop takes less than this (a few milliseconds a run, where one
     * collection or one late thread moves a run by a third) is measured over
     * {@value #SHORT_ROUNDS_FACTOR} times the rounds, so its medians settle.
     */
    static final long SHORT_NANOS = 50_000_000;
    static final int SHORT_ROUNDS_FACTOR = 3;
    /** ParKit's speedup must be at least this share of the best contender's. */
    static final double BEST_SHARE = 0.97;

    /** Sizes and rounds of a run. */
    record Plan(boolean quick, int[] workers, int warmups, int rounds, int progressWarmups, int progressRounds,
            int cpuItems, int tinyItems, int smallItems, int squareItems, long pimapItems, int freshJvms,
            int freshItems, long childTimeoutSeconds) {
        static final Plan FULL = new Plan(false, new int[] {1, 2, 4}, 1, 7, 3, 21, 400, 200_000, 20_000, 1_000_000,
                100_000_000L, 5, 400, 600);
        static final Plan QUICK = new Plan(true, new int[] {2}, 1, 5, 1, 9, 60, 50_000, 5_000, 250_000, 10_000_000L, 5,
                400, 120);
    }

    private Main() {}

    /**
     * Runs the benchmark and exits with its status.
     *
     * @param args {@code --quick}, {@code --only ID,...}, {@code --help}
     */
    public static void main(String[] args) throws Exception {
        boolean quick = "1".equals(System.getenv("PARKIT_QUICK"));
        Set<String> only = new LinkedHashSet<>(IDS);
        if (args.length > 0 && args[0].equals("--jmh")) {
            Jmh.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        usage("--only needs a list of workload ids");
                    }
                    only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                    if (!IDS.containsAll(only)) {
                        usage("unknown workload id in " + args[i]);
                    }
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument: " + args[i]);
            }
        }
        System.exit(run(quick ? Plan.QUICK : Plan.FULL, only));
    }

    private static void usage(String problem) {
        System.err.println(problem + "\n" + USAGE);
        System.exit(2);
    }

    static int run(Plan p, Set<String> only) throws Exception {
        long start = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("ParKit benchmark (%s): Java %s, %d processors, heap %d MB, workers %s, %d warm-up + %d"
                        + " measured rounds per workload (%d where a serial run is under %d ms), interleaved; medians%n",
                p.quick() ? "quick" : "full", System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20, Arrays.toString(p.workers()), p.warmups(), p.rounds(),
                SHORT_ROUNDS_FACTOR * p.rounds(), SHORT_NANOS / 1_000_000);
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
        List<Report.Best> summary = new ArrayList<>();
        int n = p.cpuItems();
        Workload tiny = Workload.uniform("3a", "3a. tiny: " + p.tinyItems() + " items x 1 us", spin, p.tinyItems(), 1e3);
        try (Contenders cs = new Contenders()) {
            if (only.contains("1")) {
                List<Timing> t = speedups(Workload.uniform("1", "1. CPU-bound: " + n + " items x 2 ms", spin, n, 2e6),
                        cs, p, summary, checks);
                checks.add(Check.atLeast("1. 2 ms tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2), 1.97,
                        cpuPlain));
            }
            if (only.contains("2a")) {
                List<Timing> t = speedups(Workload.linear("2a", "2a. skewed: cost rising linearly with the index, "
                        + n + " items, mean 2 ms", spin, n, 2e6), cs, p, summary, checks);
                skewChecks(checks, "2a. linear skew", t, cpuPlain);
            }
            if (only.contains("2b")) {
                List<Timing> t = speedups(Workload.everyTenthHeavy("2b", "2b. skewed: every 10th item 20x heavier, "
                        + n + " items x 0.5 ms / 10 ms", spin, n, 0.5e6, 20), cs, p, summary, checks);
                skewChecks(checks, "2b. every 10th 20x", t, cpuPlain);
            }
            if (only.contains("2c")) {
                List<Timing> t = speedups(Workload.lastBlockHeavy("2c", "2c. skewed: the last 10% of items (a"
                        + " contiguous block) 20x heavier, " + n + " items x 0.5 ms / 10 ms", spin, n, 0.5e6, 20), cs, p,
                        summary, checks);
                skewChecks(checks, "2c. last 10% 20x", t, cpuPlain);
            }
            if (only.contains("3a")) {
                List<Timing> t = speedups(tiny, cs, p, summary, checks);
                checks.add(Check.atLeast("3a. 1 us tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2), 1.85,
                        cpuPlain));
            }
            if (only.contains("3b")) {
                List<Timing> t = speedups(Workload.uniform("3b", "3b. small: " + p.smallItems() + " items x 10 us",
                        spin, p.smallItems(), 1e4), cs, p, summary, checks);
                checks.add(Check.atLeast("3b. 10 us tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2), 1.90,
                        cpuPlain));
            }
            if (only.contains("4")) {
                List<Timing> t = speedups(Workload.squares("4", "4. x * x over " + p.squareItems()
                        + " boxed Integers", p.squareItems()), cs, p, summary, checks);
                checks.add(Check.atLeast("4. x*x, ParKit 2 workers vs serial loop", speedup(t, Contenders.PARKIT, 2),
                        1.9, boxPlain));
            }
            if (only.contains("5")) {
                progress(tiny, p, checks);
            }
        }
        if (!summary.isEmpty()) {
            Report.print(Report.best("Summary at " + TARGET_WORKERS + " workers: speedup over the serial loop, ParKit"
                    + " against the best other contender in the same run", summary));
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

    /**
     * Measures every contender on {@code w}, prints the table, adds the workload's row to the
     * summary and its "at least {@value #BEST_SHARE} of the best contender" target.
     */
    private static List<Timing> speedups(Workload w, Contenders cs, Plan p, List<Report.Best> summary,
            List<Check> checks) throws Exception {
        long t0 = System.nanoTime();
        List<Object> expected = Contenders.serialMap(w);
        boolean isShort = System.nanoTime() - t0 < SHORT_NANOS;
        List<Contender> all = cs.all(p.workers());
        List<Contender> run = all.stream().filter(c -> w.size() <= c.maxItems()).toList();
        int rounds = isShort ? SHORT_ROUNDS_FACTOR * p.rounds() : p.rounds();
        Harness.Measured m = Harness.measure(w, run, expected, p.warmups(), rounds);
        List<Timing> t = m.timings();
        Report.print(Report.speedups(w.title(), t));
        System.out.printf("serial: %.2f us per item%s; %s%n", t.get(0).median() / 1e3 / w.size(),
                w.nominalNanos() > 0 ? String.format(" (calibrated: %.2f)", w.nominalNanos() / 1e3) : "",
                others(m));
        all.stream().filter(c -> w.size() > c.maxItems()).map(Contender::name).distinct().forEach(name ->
                System.out.printf("not run: %s (one task per item; more than %,d items would take most of the run)%n",
                        name, Contenders.PER_ITEM_DISPATCH_MAX));
        System.out.println();
        Report.Best best = Report.Best.of(w.title(), t, TARGET_WORKERS, Contenders.PARKIT, Contenders.STREAM);
        summary.add(best);
        checks.add(Check.atLeast(w.id() + ". ParKit / best contender (" + best.bestName() + "), " + TARGET_WORKERS
                + " workers", best.parkit() / best.best(), BEST_SHARE, Double.NaN));
        return t;
    }

    private static void skewChecks(List<Check> checks, String what, List<Timing> t, double plainThreads) {
        double parkit = speedup(t, Contenders.PARKIT, 2);
        checks.add(Check.atLeast(what + ", ParKit 2 workers", parkit, 1.92, plainThreads));
        checks.add(Check.above(what + ", ParKit vs parallelStream, 2 workers", parkit,
                speedup(t, Contenders.STREAM, 2), "parallelStream"));
    }

    private static double speedup(List<Timing> t, String name, int workers) {
        for (Timing x : t) {
            if (x.contender().name().equals(name) && x.contender().workers() == workers) {
                return (double) t.get(0).median() / x.median();
            }
        }
        throw new IllegalArgumentException("no timing for " + name + " with " + workers + " workers");
    }

    /** Workload 5: the cost of a progress bar on the 1 us workload at 2 workers. */
    private static void progress(Workload w, Plan p, List<Check> checks) throws Exception {
        var plain = Par.options().workers(2);
        var withBar = plain.progress("bench");
        AtomicLong returns = new AtomicLong();
        PrintStream nowhere = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                if (b == '\r') {
                    returns.incrementAndGet();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    write(b[i]);
                }
            }
        }, false);
        DiscardingDisplay notebook = new DiscardingDisplay();
        AtomicLong terminalCalls = new AtomicLong();
        AtomicLong notebookCalls = new AtomicLong();
        List<Contender> cs = List.of(
                new Contender("ParKit, no progress", 2, x -> Par.pmap(x.f()::apply, x.items(), plain)),
                new Contender("ParKit + progress, terminal", 2, x -> {
                    PrintStream out = System.out;
                    System.setOut(nowhere);
                    try {
                        return Par.pmap(x.f()::apply, x.items(), withBar);
                    } finally {
                        System.setOut(out);
                        terminalCalls.incrementAndGet();
                    }
                }),
                new Contender("ParKit + progress, notebook", 2, x -> {
                    try (var scope = Displays.use(notebook)) {
                        return Par.pmap(x.f()::apply, x.items(), withBar);
                    } finally {
                        notebookCalls.incrementAndGet();
                    }
                }));
        List<Object> expected = Contenders.serialMap(w);
        Harness.Measured m = Harness.measure(w, cs, expected, p.progressWarmups(), p.progressRounds());
        List<Timing> t = m.timings();
        if (!notebook.lastHtml().contains("bench")) {
            throw new IllegalStateException("the notebook progress bar was not drawn: " + notebook.lastHtml());
        }
        List<String> notes = List.of("-",
                String.format("%.1f redraws/call to stdout", (double) returns.get() / terminalCalls.get()),
                String.format("%.1f HTML drawings/call", (double) notebook.drawings() / notebookCalls.get()));
        Report.print(Report.costs("5. progress overhead: " + w.title().substring(4) + ", 2 workers, "
                + p.progressRounds() + " rounds", t, notes));
        System.out.println("terminal: '\\r' lines to a System.out that discards them; notebook: a Display that renders"
                + " the HTML bar and keeps it; paired median = median over rounds of time / baseline's time in that round");
        System.out.println(others(m) + "\n");
        checks.add(Check.atMost("5. progress cost, terminal (paired)", Report.pairedRatio(t.get(1), t.get(0)), 1.03));
        checks.add(Check.atMost("5. progress cost, notebook (paired)", Report.pairedRatio(t.get(2), t.get(0)), 1.03));
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

    /** Says how busy other processes kept the machine, and warns when that disturbed the timings. */
    static String others(Harness.Measured m) {
        String redone = m.redone() == 0 ? "" : "; " + m.redone() + " rounds run again because other processes were busy";
        if (Double.isNaN(m.othersCores())) {
            return "other processes' CPU use unknown" + redone;
        }
        return String.format("other processes used %.2f cores during the kept rounds%s%s", m.othersCores(), redone,
                m.othersCores() > Harness.BUSY_CORES ? " (DISTURBED: speedups understated, rerun when the machine is quiet)"
                        : "");
    }
}
