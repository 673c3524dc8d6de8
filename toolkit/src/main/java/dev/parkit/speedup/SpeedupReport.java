package dev.parkit.speedup;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sentences of a {@link SpeedupResult}: the summary line, the fit line, notes and warnings. */
final class SpeedupReport {

    /** Below this serial median, times are dominated by noise. */
    static final double SHORT_RUN_MS = 10;
    /** Other processes using this many cores on average make a measurement untrustworthy. */
    static final double BUSY_CORES = 0.25;
    /** Above this spread (max - min) / median, a configuration's times are called noisy. */
    static final double NOISY_SPREAD = 0.5;
    /** A pmap speedup this far above the bare threads' is a measurement artifact. */
    static final double ABOVE_THREADS = 0.03;

    private SpeedupReport() {}

    /** The line under the title: what ran, and the baseline. */
    static String summary(SpeedupResult r) {
        Measurement m = r.measurement();
        Timing s = m.serial();
        int runs = s.runs();
        return m.items() + " items, " + cores(m.cores()) + " available; "
                + m.warmupRuns() + " warm-up and " + runs + " timed run" + (runs == 1 ? "" : "s")
                + " per configuration, in rounds; baseline: the serial loop, median " + ms(s.medianMs())
                + " ms (min " + ms(s.minMs()) + ", max " + ms(s.maxMs()) + ")"
                + (Double.isNaN(m.otherLoad())
                        ? "" : "; other processes used " + fmt(m.otherLoad(), "0.00") + " cores meanwhile")
                + (m.rerunRounds() == 0 ? "" : "; " + m.rerunRounds() + " round" + (m.rerunRounds() == 1 ? "" : "s")
                        + " run again because other processes were busy");
    }

    /** The fit in one line: p with its interval, and the predictions the data supports. */
    static String fitLine(SpeedupResult r) {
        AmdahlFit fit = r.fit();
        if (!fit.exists()) {
            return "Amdahl fit: none (it needs a measurement with 2 to " + r.cores() + " workers)";
        }
        List<Integer> ws = fit.workers();
        StringBuilder b = new StringBuilder("Amdahl fit on ")
                .append(ws.size() == 1 ? ws.get(0) + " workers" : "workers " + join(ws));
        if (r.measurement().byWorkers().lastKey() > r.cores()) {
            b.append(" (up to the ").append(cores(r.cores())).append(")");
        }
        b.append(": parallel fraction p = ").append(fmt(fit.p(), "0.000"))
                .append(" (").append(fmt(fit.low(), "0.000")).append(" to ").append(fmt(fit.high(), "0.000"))
                .append(" from the per-round speedups)");
        if (fit.singlePoint()) {
            int n = ws.get(0);
            b.append(", from one worker count: p = (1 - 1/S) / (1 - 1/").append(n)
                    .append(") fits any single point, so this does not test Amdahl's law");
        }
        List<String> made = new ArrayList<>();
        List<Integer> tooFar = new ArrayList<>();
        List<Integer> tooWide = new ArrayList<>();
        for (int k : SpeedupResult.PREDICTED_CORES) {
            String why = fit.whyNot(k);
            if (why == null) {
                made.add(fmt(fit.predicted(k), "0.00") + "x (" + fmt(fit.predictedLow(k), "0.00") + " to "
                        + fmt(fit.predictedHigh(k), "0.00") + ") on " + k + " cores");
            } else if (k > fit.reach()) {
                tooFar.add(k);
            } else {
                tooWide.add(k);
            }
        }
        b.append(made.isEmpty() ? "" : "; predicted speedup " + String.join(", ", made));
        if (!tooWide.isEmpty()) {
            b.append("; no prediction for ").append(join(tooWide))
                    .append(" cores: the per-round spread makes it uncertain by more than 25%");
        }
        if (!tooFar.isEmpty()) {
            b.append("; no prediction for ").append(join(tooFar)).append(" cores: more than ")
                    .append(AmdahlFit.MAX_EXTRAPOLATION).append("x the ").append(ws.get(ws.size() - 1))
                    .append(" workers measured");
        }
        return b.toString();
    }

    static List<String> notes(SpeedupResult r) {
        List<String> out = new ArrayList<>();
        out.add("speedup = the median over rounds of (serial-loop time / time with n workers) in the same"
                + " round; efficiency = speedup / n; Karp-Flatt serial fraction = (1/speedup - 1/n) / (1 - 1/n);"
                + " cores busy = this JVM's CPU time / wall time");
        if (!r.threadRows().isEmpty()) {
            out.add("bare threads: n plain threads, each on a fixed equal share of the items, timed in the same"
                    + " rounds: what the machine gives without ParKit");
        }
        if (r.measurement().byWorkers().lastKey() > r.cores()) {
            out.add("the Amdahl fit uses only worker counts up to the available cores (" + r.cores()
                    + "): with more workers than cores, workers share cores, which Amdahl's law does not model");
        }
        out.add("error bars: the smallest and largest per-round speedups");
        return out;
    }

    static List<String> warnings(SpeedupResult r) {
        Measurement m = r.measurement();
        List<String> out = new ArrayList<>();
        if (m.cores() == 1) {
            out.add("only 1 core is available: parallel runs cannot be faster than the serial loop here");
        }
        if (m.otherLoad() >= BUSY_CORES) {
            out.add("the machine was busy: other processes kept " + fmt(m.otherLoad(), "0.00") + " of "
                    + cores(m.cores()) + " busy during the timed runs, so the speedups come out low; run again"
                    + " when the machine is idle");
        }
        List<Integer> tooMany = m.byWorkers().keySet().stream().filter(w -> w > m.items()).toList();
        if (!tooMany.isEmpty()) {
            out.add("only " + m.items() + " item" + (m.items() == 1 ? "" : "s") + " for "
                    + join(tooMany) + " workers: a run cannot keep more workers busy than it has items,"
                    + " so those rows say nothing about scaling; use many more items than workers");
        }
        double serialMs = m.serial().medianMs();
        if (serialMs < SHORT_RUN_MS) {
            out.add("the serial loop takes only " + ms(serialMs) + " ms: too short to time reliably"
                    + " (timer, thread hand-off and JIT noise are of that size); use more or bigger"
                    + " items, so that it takes 100 ms or more");
        }
        int runs = m.serial().runs();
        if (runs < 3) {
            out.add("only " + runs + " timed run" + (runs == 1 ? "" : "s") + " per configuration:"
                    + " the median, min and max need at least 3; use repetitions(5)");
        }
        if (m.warmupRuns() == 0) {
            out.add("no warm-up runs: the timed runs include class loading and JIT compilation;"
                    + " use warmup(2) or more");
        }
        noise(m, out);
        againstThreads(r, out);
        AmdahlFit fit = r.fit();
        if (fit.raw() > 1) {
            out.add("the Amdahl fit gives p above 1 and is clamped to p = 1");
        } else if (fit.raw() < 0) {
            out.add("the parallel runs are slower than the serial loop (the work per item may be too"
                    + " small to pay for parallelism): the Amdahl fit is clamped to p = 0");
        } else if (!fit.exists() && m.cores() > 1) {
            out.add("no measurement with 2 to " + m.cores() + " workers: Amdahl's law could not be fitted");
        }
        return out;
    }

    /** Noisy configurations, and a serial baseline noisier than every parallel run. */
    private static void noise(Measurement m, List<String> out) {
        List<String> noisy = new ArrayList<>();
        if (isNoisy(m.serial())) {
            noisy.add("the serial loop");
        }
        m.byWorkers().forEach((w, t) -> {
            if (isNoisy(t)) {
                noisy.add(w + " worker" + (w == 1 ? "" : "s"));
            }
        });
        if (!noisy.isEmpty()) {
            out.add("times vary by more than " + Math.round(NOISY_SPREAD * 100) + "% of the median between"
                    + " runs with " + String.join(", ", noisy) + " (see min and max): other load on"
                    + " the machine, garbage collection or CPU frequency changes; close other programs"
                    + " or use more repetitions");
        }
        double widest = 0;
        for (Timing t : m.byWorkers().values()) {
            widest = Math.max(widest, t.spread());
        }
        for (Timing t : m.threads().values()) {
            widest = Math.max(widest, t.spread());
        }
        double serial = m.serial().spread();
        if (m.serial().runs() >= 3 && serial > widest && serial - widest > 0.02) {
            out.add("the serial loop's times spread by " + fmt(serial * 100, "0") + "% of their median, more"
                    + " than any parallel run's (" + fmt(widest * 100, "0") + "%): something slowed the"
                    + " baseline in some rounds, and every speedup carries that error; run again");
        }
    }

    /**
     * Speedups above the bare threads', and superlinear speedups the bare threads do not show. The
     * bare threads run f through the serial loop's code; when pmap with 1 worker already beats the
     * serial loop, the JIT compiled f better inside pmap's loop, and that is the cause to name.
     */
    private static void againstThreads(SpeedupResult r, List<String> out) {
        double one = r.rows().stream().filter(w -> w.workers() == 1).mapToDouble(SpeedupRow::speedup)
                .findFirst().orElse(Double.NaN);
        String cause = one > 1 + ABOVE_THREADS / 2
                ? "pmap with 1 worker already ran " + fmt(one, "0.00") + "x the serial loop's speed: the JIT compiled"
                        + " f better inside pmap's loop than in the serial loop (it varies from JVM to JVM), and"
                        + " that, not the cores, is the excess"
                : "the serial loop was slowed in some rounds; run again on a quiet machine";
        for (SpeedupRow row : r.rows()) {
            SpeedupRow ref = r.threadRows().stream().filter(t -> t.workers() == row.workers()).findFirst().orElse(null);
            int n = row.workers();
            if (row.speedup() > n && n > 1) {
                if (ref != null && ref.speedup() > n) {
                    out.add("superlinear with " + n + " workers (" + fmt(row.speedup(), "0.00") + "x), and the bare"
                            + " threads show it too (" + fmt(ref.speedup(), "0.00") + "x): a real effect, such as"
                            + " the data fitting " + n + " cores' caches but not one's");
                } else {
                    out.add(n + " workers measured " + fmt(row.speedup(), "0.00") + "x, above linear, but "
                            + (ref == null ? "there is no bare-thread reference to confirm it"
                                    : "the bare threads reached only " + fmt(ref.speedup(), "0.00") + "x")
                            + ": not a real superlinear speedup; " + cause);
                }
            } else if (ref != null && row.speedup() > (1 + ABOVE_THREADS) * ref.speedup()) {
                out.add(n + " workers measured " + fmt(row.speedup(), "0.00") + "x, more than "
                        + Math.round(ABOVE_THREADS * 100) + "% above the bare threads' " + fmt(ref.speedup(), "0.00")
                        + "x in the same rounds: " + (one > 1 + ABOVE_THREADS / 2 ? cause
                                : "pmap cannot beat them by that much, so some runs were disturbed; run again on a"
                                        + " quiet machine"));
            }
        }
    }

    private static boolean isNoisy(Timing t) {
        double median = t.medianMs();
        return t.runs() >= 3 && median > 0 && (t.maxMs() - t.minMs()) > NOISY_SPREAD * median;
    }

    static String cores(int n) {
        return n + (n == 1 ? " core" : " cores");
    }

    static String join(List<Integer> xs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : i == xs.size() - 1 ? " and " : ", ").append(xs.get(i));
        }
        return b.toString();
    }

    static String ms(double v) {
        return fmt(v, v < 1 ? "0.000" : "0.0");
    }

    static String fmt(double v, String pattern) {
        if (Double.isNaN(v)) {
            return "";
        }
        return decimalFormat(pattern).format(v);
    }

    /** A format with the same digits in every locale, rounding halves up (0.625 -> 0.63). */
    static DecimalFormat decimalFormat(String pattern) {
        DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f;
    }
}
