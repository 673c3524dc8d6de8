package dev.parkit.speedupmark;

import dev.parkit.speedupmark.Harness.Timing;
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
        for (Timing t : timings) {
            name.append(t.contender().name());
            workers.append(t.contender().workers());
            median.append(t.median() / 1e6);
            min.append(t.min() / 1e6);
            max.append(t.max() / 1e6);
            double s = base / t.median();
            speedup.append(s);
            efficiency.append(s / t.contender().workers());
        }
        return Table.create(title, name, workers, median, min, max, speedup, efficiency);
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
