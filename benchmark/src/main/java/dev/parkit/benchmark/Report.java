package dev.parkit.benchmark;

import dev.parkit.benchmark.Harness.Timing;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** Tables of timings: plain records in, a Tablesaw table out. */
final class Report {
    private Report() {}

    /**
     * Median, min and max per contender, with speedup over the first timing (the serial loop)
     * and efficiency = speedup / workers.
     */
    static Table speedups(String title, List<Timing> timings) {
        double base = timings.get(0).median();
        StringColumn name = StringColumn.create("contender");
        IntColumn workers = IntColumn.create("workers");
        DoubleColumn median = millis("median ms");
        DoubleColumn min = millis("min ms");
        DoubleColumn max = millis("max ms");
        DoubleColumn speedup = ratio("speedup");
        DoubleColumn efficiency = ratio("efficiency");
        DoubleColumn cores = ratio("cores busy");
        for (Timing t : timings) {
            name.append(t.contender().name());
            workers.append(t.contender().workers());
            median.append(t.median() / 1e6);
            min.append(t.min() / 1e6);
            max.append(t.max() / 1e6);
            double s = base / t.median();
            speedup.append(s);
            efficiency.append(s / t.contender().workers());
            cores.append(t.cores());
        }
        return Table.create(title, name, workers, median, min, max, speedup, efficiency, cores);
    }

    /**
     * Median, min and max per contender, with the time ratio to the first timing (the
     * baseline): as a ratio of medians, and as the median of the per-round ratios (robust to
     * drift in machine load, since a round runs every contender back to back).
     */
    static Table costs(String title, List<Timing> timings, List<String> notes) {
        Timing base = timings.get(0);
        StringColumn name = StringColumn.create("contender");
        IntColumn workers = IntColumn.create("workers");
        DoubleColumn median = millis("median ms");
        DoubleColumn min = millis("min ms");
        DoubleColumn max = millis("max ms");
        DoubleColumn ratio = ratio("time / baseline");
        DoubleColumn paired = ratio("paired median");
        StringColumn note = StringColumn.create("drawn");
        for (int i = 0; i < timings.size(); i++) {
            Timing t = timings.get(i);
            name.append(t.contender().name());
            workers.append(t.contender().workers());
            median.append(t.median() / 1e6);
            min.append(t.min() / 1e6);
            max.append(t.max() / 1e6);
            ratio.append((double) t.median() / base.median());
            paired.append(pairedRatio(t, base));
            note.append(notes.get(i));
        }
        return Table.create(title, name, workers, median, min, max, ratio, paired, note);
    }

    /** The median over rounds of {@code t}'s time divided by {@code base}'s time in the same round. */
    static double pairedRatio(Timing t, Timing base) {
        long[] a = t.nanos();
        long[] b = base.nanos();
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (double) a[i] / b[i];
        }
        Arrays.sort(r);
        int n = r.length;
        return n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
    }

    /**
     * ParKit against the best other contender of one workload, at one worker count.
     *
     * @param workload the workload's title
     * @param parkit ParKit's speedup over the serial loop
     * @param bestName the contender with the highest speedup, ParKit and the serial loop left out
     * @param best its speedup
     * @param stream parallelStream's speedup
     * @param paired the median over rounds of the best contender's time / ParKit's time in the same
     *     round: ParKit / best, robust to load that drifts between rounds (each round runs every
     *     contender back to back)
     */
    record Best(String workload, double parkit, String bestName, double best, double stream, double paired) {
        static Best of(String workload, List<Timing> timings, int workers, String parkitName, String streamName) {
            double base = timings.get(0).median();
            double parkit = Double.NaN;
            double stream = Double.NaN;
            double best = Double.NaN;
            String bestName = "-";
            Timing parkitTiming = null;
            Timing bestTiming = null;
            for (Timing t : timings.subList(1, timings.size())) {
                if (t.contender().workers() != workers) {
                    continue;
                }
                double s = base / t.median();
                String name = t.contender().name();
                if (name.equals(parkitName)) {
                    parkit = s;
                    parkitTiming = t;
                    continue;
                }
                if (name.equals(streamName)) {
                    stream = s;
                }
                if (!(s <= best)) {
                    best = s;
                    bestName = name;
                    bestTiming = t;
                }
            }
            double paired = parkitTiming == null || bestTiming == null ? Double.NaN
                    : 1 / pairedRatio(parkitTiming, bestTiming);
            return new Best(workload, parkit, bestName, best, stream, paired);
        }
    }

    /** One row per workload: ParKit, the best other contender, parallelStream, and ParKit / best. */
    static Table best(String title, List<Best> rows) {
        StringColumn workload = StringColumn.create("workload");
        DoubleColumn parkit = ratio("ParKit");
        DoubleColumn best = ratio("best other");
        StringColumn which = StringColumn.create("which");
        DoubleColumn stream = ratio("parallelStream");
        DoubleColumn share = ratio("ParKit / best");
        DoubleColumn paired = ratio("paired");
        for (Best b : rows) {
            workload.append(b.workload().length() > 60 ? b.workload().substring(0, 57) + "..." : b.workload());
            parkit.append(b.parkit());
            best.append(b.best());
            which.append(b.bestName());
            stream.append(b.stream());
            share.append(b.parkit() / b.best());
            paired.append(b.paired());
        }
        return Table.create(title, workload, parkit, best, which, stream, share, paired);
    }

    /**
     * One row per workload: its fresh and long-lived figures side by side (ParKit's speedup, the
     * best other contender's, ParKit / best as a ratio of medians and paired round by round),
     * matched by workload whatever order each mode ran.
     */
    static Table modes(String title, List<Best> fresh, List<Best> longLived) {
        StringColumn workload = StringColumn.create("workload");
        DoubleColumn freshParkit = ratio("fresh ParKit");
        DoubleColumn freshBest = ratio("fresh best");
        DoubleColumn freshShare = ratio("fresh ParKit/best");
        DoubleColumn freshPaired = ratio("fresh paired");
        DoubleColumn longParkit = ratio("long-lived ParKit");
        DoubleColumn longBest = ratio("long-lived best");
        DoubleColumn longShare = ratio("long-lived ParKit/best");
        DoubleColumn longPaired = ratio("long-lived paired");
        StringColumn which = StringColumn.create("best (fresh / long-lived)");
        for (Best f : fresh) {
            Best l = longLived.stream().filter(b -> b.workload().equals(f.workload())).findFirst().orElse(null);
            workload.append(f.workload().length() > 50 ? f.workload().substring(0, 47) + "..." : f.workload());
            freshParkit.append(f.parkit());
            freshBest.append(f.best());
            freshShare.append(f.parkit() / f.best());
            freshPaired.append(f.paired());
            longParkit.append(l == null ? Double.NaN : l.parkit());
            longBest.append(l == null ? Double.NaN : l.best());
            longShare.append(l == null ? Double.NaN : l.parkit() / l.best());
            longPaired.append(l == null ? Double.NaN : l.paired());
            which.append(f.bestName() + " / " + (l == null ? "-" : l.bestName()));
        }
        return Table.create(title, workload, freshParkit, freshBest, freshShare, freshPaired, longParkit, longBest,
                longShare, longPaired, which);
    }

    /** One row per fresh JVM, then the medians. */
    static Table fresh(String title, List<FreshChild.Result> results) {
        StringColumn jvm = StringColumn.create("JVM");
        DoubleColumn serial = millis("serial ms");
        DoubleColumn pmap = millis("pmap ms");
        DoubleColumn threads = millis("2 threads ms");
        DoubleColumn pmapSpeedup = ratio("pmap speedup");
        DoubleColumn threadsSpeedup = ratio("threads speedup");
        DoubleColumn share = ratio("pmap / threads");
        DoubleColumn first = millis("first item ms");
        DoubleColumn others = ratio("others, cores");
        int i = 0;
        for (FreshChild.Result r : results) {
            jvm.append(Integer.toString(++i));
            serial.append(r.serialNanos() / 1e6);
            pmap.append(r.pmapNanos() / 1e6);
            threads.append(r.threadsNanos() / 1e6);
            pmapSpeedup.append(r.pmapSpeedup());
            threadsSpeedup.append(r.threadsSpeedup());
            share.append(r.pmapSpeedup() / r.threadsSpeedup());
            first.append(r.firstItemNanos() / 1e6);
            others.append(Math.max(r.othersPmap(), r.othersThreads()));
        }
        jvm.append("median");
        for (DoubleColumn c : List.of(serial, pmap, threads, pmapSpeedup, threadsSpeedup, share, first, others)) {
            double[] v = c.asDoubleArray();
            Arrays.sort(v);
            c.append(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return Table.create(title, jvm, serial, pmap, threads, pmapSpeedup, threadsSpeedup, share, first, others);
    }

    /**
     * One row per target: what was measured and whether it met the target.
     *
     * @param checks the targets
     */
    static Table targets(List<Check> checks) {
        StringColumn what = StringColumn.create("target");
        StringColumn goal = StringColumn.create("goal");
        DoubleColumn measured = ratio("measured");
        StringColumn verdict = StringColumn.create("met");
        StringColumn plain = StringColumn.create("plain threads");
        for (Check c : checks) {
            what.append(c.what());
            goal.append(c.goal());
            measured.append(c.measured());
            verdict.append(c.met() ? "yes" : "MISSED");
            plain.append(Double.isNaN(c.plainThreads()) ? "" : String.format("%.3f", c.plainThreads()));
        }
        return Table.create("Targets", what, goal, measured, verdict, plain);
    }

    /**
     * A target and how it went.
     *
     * @param what the workload and what is compared
     * @param goal the target, e.g. {@code ">= 1.97"}
     * @param measured the measured ratio
     * @param met whether the target was met
     * @param plainThreads the speedup plain threads reach on such work here ({@link PlainThreads}), or NaN
     */
    record Check(String what, String goal, double measured, boolean met, double plainThreads) {
        static Check atLeast(String what, double measured, double goal, double plainThreads) {
            return new Check(what, ">= " + goal, measured, measured >= goal, plainThreads);
        }

        static Check atMost(String what, double measured, double goal) {
            return new Check(what, "<= " + goal, measured, measured <= goal, Double.NaN);
        }

        static Check above(String what, double measured, double other, String otherName) {
            return new Check(what, "> " + otherName + " " + String.format("%.3f", other), measured, measured > other,
                    Double.NaN);
        }
    }

    static void print(Table t) {
        System.out.println(t.printAll());
        System.out.flush();
    }

    private static DoubleColumn millis(String name) {
        DoubleColumn c = DoubleColumn.create(name);
        c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(1));
        return c;
    }

    private static DoubleColumn ratio(String name) {
        DoubleColumn c = DoubleColumn.create(name);
        c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        return c;
    }
}
