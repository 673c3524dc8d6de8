package dev.parkit.speedup;

import dev.parkit.display.Display;
import dev.parkit.display.Displays;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/**
 * How a function's speed grows with workers: a {@link Measurement}, and the views of it — a
 * Tablesaw table, an Amdahl's-law fit and an XChart chart. Immutable and thread-safe; each view
 * method builds a new table or chart, which the caller may change freely.
 *
 * <p><b>Baseline.</b> Every speedup is relative to the median time of the plain serial loop (no
 * ParKit), so the 1-worker row shows ParKit's own overhead: its speedup is a little below 1.
 *
 * <p><b>Fit.</b> The parallel fraction {@code p} of Amdahl's law, {@code S(n) = 1 / ((1 - p) +
 * p / n)}, is fitted by least squares on {@code 1 - 1/S = p (1 - 1/n)}, using only worker counts
 * from 2 up to the available cores: beyond them workers share cores, which the law does not
 * model. It is clamped to [0, 1] (with a warning), and NaN when no worker count qualifies.
 *
 * <pre>{@code
 * SpeedupResult r = speedup(x -> slowSquare(x), range(200));
 * r.display();                      // notebook: chart (PNG) and table (HTML); JShell: the text
 * r.parallelFraction();             // e.g. 0.97
 * r.predictedSpeedup(16);           // e.g. 11.0
 * r.saveChart(Path.of("speedup.svg"));
 * }</pre>
 */
public final class SpeedupResult {

    /** Below this serial median, times are dominated by noise. */
    static final double SHORT_RUN_MS = 10;
    /** Other processes using this many cores on average make a measurement untrustworthy. */
    static final double BUSY_CORES = 0.25;
    /** Above this spread (max - min) / median, a configuration's times are called noisy. */
    static final double NOISY_SPREAD = 0.5;
    /** The core counts whose speedup the fit predicts in the text and HTML views. */
    static final int[] PREDICTED_CORES = {8, 16, 32};

    private final Measurement measurement;
    private final List<SpeedupRow> rows;
    private final List<Integer> fitWorkers;
    private final double rawParallelFraction;
    private final double parallelFraction;
    private final List<String> notes;
    private final List<String> warnings;

    private SpeedupResult(Measurement m) {
        this.measurement = m;
        double serialMs = m.serial().medianMs();
        List<SpeedupRow> rs = new ArrayList<>();
        m.byWorkers().forEach((n, t) -> {
            double s = SpeedupMath.speedup(serialMs, t.medianMs());
            rs.add(new SpeedupRow(n, t.medianMs(), t.minMs(), t.maxMs(), s,
                    SpeedupMath.speedup(serialMs, t.maxMs()), SpeedupMath.speedup(serialMs, t.minMs()),
                    SpeedupMath.efficiency(s, n), SpeedupMath.karpFlatt(s, n)));
        });
        this.rows = List.copyOf(rs);
        List<SpeedupRow> fitRows = rows.stream()
                .filter(r -> r.workers() >= 2 && r.workers() <= m.cores()).toList();
        this.fitWorkers = fitRows.stream().map(SpeedupRow::workers).toList();
        this.rawParallelFraction = SpeedupMath.fitParallelFraction(fitRows);
        this.parallelFraction = Double.isNaN(rawParallelFraction)
                ? Double.NaN : Math.max(0, Math.min(1, rawParallelFraction));
        this.notes = List.copyOf(buildNotes());
        this.warnings = List.copyOf(findWarnings());
    }

    /**
     * Derives the table rows, the fit and the warnings from a measurement.
     *
     * @param measurement the times
     * @return the result
     * @throws NullPointerException if {@code measurement} is null
     */
    public static SpeedupResult of(Measurement measurement) {
        return new SpeedupResult(Objects.requireNonNull(measurement, "measurement must not be null"));
    }

    // ---- the data ----

    /** @return the measured times this result is a view of */
    public Measurement measurement() {
        return measurement;
    }

    /** @return one row per worker count, ascending */
    public List<SpeedupRow> rows() {
        return rows;
    }

    /** @return the processors that were available to the JVM during the measurement */
    public int cores() {
        return measurement.cores();
    }

    /**
     * The fitted parallel fraction {@code p} of Amdahl's law, in [0, 1].
     *
     * @return p, or NaN when no measurement had 2 to {@link #cores()} workers
     */
    public double parallelFraction() {
        return parallelFraction;
    }

    /** @return the worker counts the Amdahl fit used: those from 2 to {@link #cores()} */
    public List<Integer> fitWorkers() {
        return fitWorkers;
    }

    /**
     * The speedup Amdahl's law predicts on {@code cores} cores with the fitted parallel fraction:
     * {@code 1 / ((1 - p) + p / cores)}.
     *
     * @param cores the number of cores
     * @return the predicted speedup over the serial loop, or NaN if there is no fit
     * @throws IllegalArgumentException if {@code cores < 1}
     */
    public double predictedSpeedup(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        return SpeedupMath.amdahl(parallelFraction, cores);
    }

    /**
     * Why some numbers should not be trusted: a busy machine, fewer items than workers, runs too
     * short to time, noisy times, too few repetitions, no warm-up, a fit that had to be clamped.
     *
     * @return the warnings, empty when there are none
     */
    public List<String> warnings() {
        return warnings;
    }

    /** @return how to read the numbers: the baseline, what the fit used, what the bars are */
    public List<String> notes() {
        return notes;
    }

    // ---- the views ----

    /**
     * The table: columns {@code workers}, {@code median ms}, {@code min ms}, {@code max ms},
     * {@code speedup}, {@code efficiency}, {@code Karp-Flatt serial fraction}; one row per worker
     * count. Undefined values (the Karp-Flatt fraction at 1 worker) are missing.
     *
     * @return a new table
     */
    public Table table() {
        return SpeedupViews.table(this);
    }

    /**
     * The chart: measured speedup (median) with min-max bars, the ideal linear line, the
     * available cores marked, the fitted Amdahl curve, titled axes and a legend.
     *
     * @return a new chart
     */
    public XYChart chart() {
        return SpeedupViews.chart(this);
    }

    /**
     * The chart as PNG bytes.
     *
     * @return the PNG file's bytes
     * @throws UncheckedIOException if encoding fails
     */
    public byte[] chartPng() {
        try {
            return BitmapEncoder.getBitmapBytes(chart(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the speedup chart as PNG", e);
        }
    }

    /**
     * Writes the chart to a file: PNG for a name ending in {@code .png}, SVG for {@code .svg}
     * (case-insensitive). Parent directories must exist; an existing file is replaced.
     *
     * <pre>{@code
     * result.saveChart(Path.of("speedup.png"));
     * }</pre>
     *
     * @param path where to write
     * @return {@code path}
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if the name ends in neither {@code .png} nor {@code .svg}
     * @throws UncheckedIOException if writing fails
     */
    public Path saveChart(Path path) {
        Objects.requireNonNull(path, "path must not be null");
        Path name = path.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        boolean png = lower.endsWith(".png");
        if (!png && !lower.endsWith(".svg")) {
            throw new IllegalArgumentException(
                    "saveChart writes .png or .svg files, got " + path + "; name it e.g. speedup.png");
        }
        try (OutputStream out = Files.newOutputStream(path)) {
            if (png) {
                out.write(chartPng());
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart(), out,
                        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the speedup chart to " + path, e);
        }
        return path;
    }

    /**
     * The table, fit, notes and warnings as HTML (no chart), for a notebook.
     *
     * @return an HTML fragment
     */
    public String toHtml() {
        return SpeedupViews.html(this);
    }

    /**
     * A single MIME bundle showing everything, for a kernel's renderer: {@code text/html} with the
     * chart (an embedded PNG) above the table, and {@code text/plain} with {@link #toString()}.
     *
     * @return a new, unmodifiable bundle
     */
    public Map<String, Object> mimeBundle() {
        String img = "<img alt=\"speedup chart\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(chartPng()) + "\">";
        return Map.of("text/html", "<div>" + img + "</div>" + toHtml(), "text/plain", toString());
    }

    /**
     * Shows the result where the code runs: in a notebook, the chart as {@code image/png} and then
     * the table as {@code text/html}; elsewhere (JShell, a terminal) the text of
     * {@link #toString()}.
     */
    public void display() {
        Display d = Displays.current();
        if (d.isNotebook()) {
            d.show(Map.of("image/png", chartPng(), "text/plain", "[speedup chart: " + title() + "]"));
            d.show(Map.of("text/html", toHtml(), "text/plain", toString()));
        } else {
            d.print(toString() + "\n");
        }
    }

    /**
     * The text JShell prints: a heading, the table, the fit and the warnings (the notes are in
     * {@link #notes()} and the HTML).
     *
     * @return the text, several lines
     */
    @Override
    public String toString() {
        return SpeedupViews.text(this);
    }

    // ---- derived text ----

    String title() {
        return measurement.label().isEmpty()
                ? "Speedup vs workers" : "Speedup vs workers: " + measurement.label();
    }

    /** The line under the title: what ran, and the baseline. */
    String summary() {
        Timing s = measurement.serial();
        int runs = s.runs();
        return measurement.items() + " items, " + cores(measurement.cores()) + " available; "
                + measurement.warmupRuns() + " warm-up and " + runs + " timed run" + (runs == 1 ? "" : "s")
                + " per configuration; baseline: the serial loop, median " + ms(s.medianMs())
                + " ms (min " + ms(s.minMs()) + ", max " + ms(s.maxMs()) + ")"
                + (Double.isNaN(measurement.otherLoad())
                        ? "" : "; other processes used " + fmt(measurement.otherLoad(), "0.00") + " cores meanwhile");
    }

    /** The fit in one line. */
    String fitLine() {
        if (Double.isNaN(parallelFraction)) {
            return "Amdahl fit: none (it needs a measurement with 2 to " + cores() + " workers)";
        }
        StringBuilder b = new StringBuilder("Amdahl fit on ")
                .append(fitWorkers.size() == 1 ? fitWorkers.get(0) + " workers" : "workers " + join(fitWorkers));
        if (measurement.byWorkers().lastKey() > cores()) {
            b.append(" (up to the ").append(cores(cores())).append(")");
        }
        b.append(": parallel fraction p = ").append(fmt(parallelFraction, "0.000"))
                .append("; predicted speedup");
        for (int i = 0; i < PREDICTED_CORES.length; i++) {
            b.append(i == 0 ? " " : ", ").append(fmt(predictedSpeedup(PREDICTED_CORES[i]), "0.00"))
                    .append("x on ").append(PREDICTED_CORES[i]).append(i == 0 ? " cores" : "");
        }
        return b.toString();
    }

    private List<String> buildNotes() {
        List<String> out = new ArrayList<>();
        out.add("speedup = serial-loop median / median with n workers; efficiency = speedup / n;"
                + " Karp-Flatt serial fraction = (1/speedup - 1/n) / (1 - 1/n)");
        int max = measurement.byWorkers().lastKey();
        if (max > cores()) {
            out.add("the Amdahl fit uses only worker counts up to the available cores (" + cores()
                    + "): with more workers than cores, workers share cores, which Amdahl's law does"
                    + " not model");
        }
        out.add("error bars: the fastest and slowest of the timed runs");
        return out;
    }

    private List<String> findWarnings() {
        Measurement m = measurement;
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
        if (rawParallelFraction > 1) {
            out.add("the speedup is above linear (superlinear; cache effects, or a serial time too"
                    + " short to trust): the Amdahl fit is clamped to p = 1");
        } else if (rawParallelFraction < 0) {
            out.add("the parallel runs are slower than the serial loop (the work per item may be too"
                    + " small to pay for parallelism): the Amdahl fit is clamped to p = 0");
        } else if (Double.isNaN(rawParallelFraction) && m.cores() > 1) {
            out.add("no measurement with 2 to " + m.cores() + " workers: Amdahl's law could not be fitted");
        }
        return out;
    }

    private static boolean isNoisy(Timing t) {
        double median = t.medianMs();
        return t.runs() >= 3 && median > 0 && (t.maxMs() - t.minMs()) > NOISY_SPREAD * median;
    }

    private static String cores(int n) {
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
