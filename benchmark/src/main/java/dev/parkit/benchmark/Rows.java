package dev.parkit.benchmark;

import dev.parkit.Par;
import dev.parkit.benchmark.Contenders.Contender;
import dev.parkit.benchmark.Harness.Timing;
import dev.parkit.benchmark.Main.Plan;
import dev.parkit.benchmark.Report.Check;
import dev.parkit.display.Displays;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workloads that run in this JVM (1 to 5), each measured against every contender, in a given
 * order: the fresh mode runs them in their order, the long-lived mode in a shuffled one after an
 * {@link Afternoon}.
 */
final class Rows {
    /** The ids of the rows that run in this JVM, in their order. */
    static final List<String> IDS = List.of("1", "2a", "2b", "2c", "3a", "3b", "4", "5");
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

    private final Plan p;
    private final Contenders cs;
    private final Spin spin;
    private final double cpuPlain;
    private final double boxPlain;

    /**
     * @param cpuPlain what plain threads reach on 2 ms items here, for the targets
     * @param boxPlain what plain threads reach on x * x here
     */
    Rows(Plan p, Contenders cs, Spin spin, double cpuPlain, double boxPlain) {
        this.p = p;
        this.cs = cs;
        this.spin = spin;
        this.cpuPlain = cpuPlain;
        this.boxPlain = boxPlain;
    }

    /**
     * Runs the rows in {@code order}, printing each table.
     *
     * @param checks where each row's targets go
     * @return one summary row per workload row, in {@code order}
     */
    List<Report.Best> run(List<String> order, List<Check> checks) throws Exception {
        List<Report.Best> summary = new ArrayList<>();
        int n = p.cpuItems();
        Workload tiny = Workload.uniform("3a", "3a. tiny: " + p.tinyItems() + " items x 1 us", spin, p.tinyItems(), 1e3);
        for (String id : order) {
            switch (id) {
                case "1" -> {
                    List<Timing> t = speedups(Workload.uniform("1", "1. CPU-bound: " + n + " items x 2 ms", spin, n,
                            2e6), cs, p, summary, checks);
                    checks.add(Check.atLeast("1. 2 ms tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2), 1.97,
                            cpuPlain));
                }
                case "2a" -> skewChecks(checks, "2a. linear skew", speedups(Workload.linear("2a", "2a. skewed: cost"
                        + " rising linearly with the index, " + n + " items, mean 2 ms", spin, n, 2e6), cs, p, summary,
                        checks), cpuPlain);
                case "2b" -> skewChecks(checks, "2b. every 10th 20x", speedups(Workload.everyTenthHeavy("2b", "2b."
                        + " skewed: every 10th item 20x heavier, " + n + " items x 0.5 ms / 10 ms", spin, n, 0.5e6, 20),
                        cs, p, summary, checks), cpuPlain);
                case "2c" -> skewChecks(checks, "2c. last 10% 20x", speedups(Workload.lastBlockHeavy("2c", "2c."
                        + " skewed: the last 10% of items (a contiguous block) 20x heavier, " + n + " items x 0.5 ms /"
                        + " 10 ms", spin, n, 0.5e6, 20), cs, p, summary, checks), cpuPlain);
                case "3a" -> {
                    List<Timing> t = speedups(tiny, cs, p, summary, checks);
                    checks.add(Check.atLeast("3a. 1 us tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2),
                            1.85, cpuPlain));
                }
                case "3b" -> {
                    List<Timing> t = speedups(Workload.uniform("3b", "3b. small: " + p.smallItems() + " items x 10 us",
                            spin, p.smallItems(), 1e4), cs, p, summary, checks);
                    checks.add(Check.atLeast("3b. 10 us tasks, ParKit 2 workers", speedup(t, Contenders.PARKIT, 2),
                            1.90, cpuPlain));
                }
                case "4" -> {
                    List<Timing> t = speedups(Workload.squares("4", "4. x * x over " + p.squareItems()
                            + " boxed Integers", p.squareItems()), cs, p, summary, checks);
                    checks.add(Check.atLeast("4. x*x, ParKit 2 workers vs serial loop", speedup(t, Contenders.PARKIT,
                            2), 1.9, boxPlain));
                }
                case "5" -> progress(tiny, p, checks);
                default -> throw new IllegalArgumentException("not a row of this JVM: " + id);
            }
        }
        return summary;
    }

    /**
     * Measures every contender on {@code w}, prints the table, adds the workload's row to the
     * summary and its "at least {@value #BEST_SHARE} of the best contender" target.
     */
    static List<Timing> speedups(Workload w, Contenders cs, Plan p, List<Report.Best> summary,
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
