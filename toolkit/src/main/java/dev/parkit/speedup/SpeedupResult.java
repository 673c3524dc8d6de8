package dev.parkit.speedup;

import dev.parkit.display.Display;
import dev.parkit.display.Displays;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p><b>Baseline and pairing.</b> The serial loop (no ParKit, on a fresh thread) is the
 * baseline. Each speedup pairs runs by round: round i's serial time / round i's time with n
 * workers; a row reports the median of those per-round speedups, with the smallest and largest as
 * its bars. The 1-worker row shows ParKit's own overhead: its speedup is a little below 1. Rows of
 * bare threads (n plain threads, each on a fixed equal share of the items, timed in the same
 * rounds) show what the machine gives without ParKit; a {@code pmap} speedup more than 3% above
 * theirs, or above linear where theirs is not, is flagged as a measurement artifact.
 *
 * <p><b>Fit.</b> The parallel fraction {@code p} of Amdahl's law, {@code S(n) = 1 / ((1 - p) +
 * p / n)}, is fitted by least squares on {@code 1 - 1/S = p (1 - 1/n)}, using only worker counts
 * from 2 up to the available cores: beyond them workers share cores, which the law does not
 * model. It is clamped to [0, 1] (with a warning), and NaN when no worker count qualifies. Its
 * uncertainty, {@link #parallelFractionLow()} to {@link #parallelFractionHigh()}, comes from the
 * smallest and largest per-round speedups. Predictions are made only up to 4 times the largest
 * worker count fitted, and only while their interval stays within 25% ({@link
 * #supportsPrediction(int)}).
 *
 * <pre>{@code
 * SpeedupResult r = speedup(x -> slowSquare(x), range(200));
 * r.display();                      // notebook: chart (PNG) and table (HTML); JShell: the text
 * r.parallelFraction();             // e.g. 0.97
 * r.supportsPrediction(8);          // true on 2 cores or more
 * r.predictedSpeedup(8);            // e.g. 6.6
 * r.saveChart(Path.of("speedup.svg"));
 * }</pre>
 */
public final class SpeedupResult {

    /** The core counts whose speedup the text and HTML views predict, where the data supports it. */
    static final int[] PREDICTED_CORES = {8, 16, 32};

    private final Measurement measurement;
    private final SpeedupRow serialRow;
    private final List<SpeedupRow> rows;
    private final List<SpeedupRow> threadRows;
    private final AmdahlFit fit;
    private final List<String> notes;
    private final List<String> warnings;

    private SpeedupResult(Measurement m) {
        this.measurement = m;
        this.serialRow = SpeedupRow.of(1, m.serial(), m.serial());
        List<SpeedupRow> rs = new ArrayList<>();
        m.byWorkers().forEach((n, t) -> rs.add(SpeedupRow.of(n, m.serial(), t)));
        this.rows = List.copyOf(rs);
        List<SpeedupRow> ts = new ArrayList<>();
        m.threads().forEach((n, t) -> ts.add(SpeedupRow.of(n, m.serial(), t)));
        this.threadRows = List.copyOf(ts);
        this.fit = AmdahlFit.of(rows.stream().filter(r -> r.workers() >= 2 && r.workers() <= m.cores()).toList());
        this.notes = List.copyOf(SpeedupReport.notes(this));
        this.warnings = List.copyOf(SpeedupReport.warnings(this));
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

    /** @return one row of {@code pmap} per worker count, ascending */
    public List<SpeedupRow> rows() {
        return rows;
    }

    /** @return the serial loop's row: its times, per-round speedup 1, and the cores it kept busy */
    public SpeedupRow serialRow() {
        return serialRow;
    }

    /** @return one row of bare threads per thread count (2 to the cores), ascending; may be empty */
    public List<SpeedupRow> threadRows() {
        return threadRows;
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
        return fit.p();
    }

    /** @return the smallest p the per-round speedups allow (fitted on the smallest), in [0, 1], or NaN */
    public double parallelFractionLow() {
        return fit.low();
    }

    /** @return the largest p the per-round speedups allow (fitted on the largest), in [0, 1], or NaN */
    public double parallelFractionHigh() {
        return fit.high();
    }

    /** @return the worker counts the Amdahl fit used: those from 2 to {@link #cores()} */
    public List<Integer> fitWorkers() {
        return fit.workers();
    }

    /**
     * The speedup Amdahl's law gives on {@code cores} cores with the fitted parallel fraction:
     * {@code 1 / ((1 - p) + p / cores)}. This is the formula, for any {@code cores}; whether the
     * measurement supports it is {@link #supportsPrediction(int)}.
     *
     * @param cores the number of cores
     * @return the predicted speedup over the serial loop, or NaN if there is no fit
     * @throws IllegalArgumentException if {@code cores < 1}
     */
    public double predictedSpeedup(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        return fit.predicted(cores);
    }

    /**
     * Whether the measurement supports a prediction on {@code cores} cores: there is a fit,
     * {@code cores} is at most 4 times the largest worker count fitted, and the speedups that
     * {@link #parallelFractionLow()} and {@link #parallelFractionHigh()} give there lie within
     * 25% of {@link #predictedSpeedup(int)}.
     *
     * @param cores the number of cores
     * @return true if the text and HTML views would predict it
     * @throws IllegalArgumentException if {@code cores < 1}
     */
    public boolean supportsPrediction(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        return fit.whyNot(cores) == null;
    }

    /**
     * Why some numbers should not be trusted: a busy machine, fewer items than workers, runs too
     * short to time, noisy times, a serial baseline noisier than the parallel runs, a speedup above
     * the bare threads' or above linear, too few repetitions, no warm-up, a clamped fit.
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
     * The table: columns {@code run} ({@code serial loop}, {@code pmap} or {@code bare threads}),
     * {@code workers}, {@code median ms}, {@code min ms}, {@code max ms}, {@code speedup} (the
     * median per-round speedup), {@code min speedup}, {@code max speedup}, {@code efficiency},
     * {@code Karp-Flatt serial fraction}, {@code cores busy}; the serial loop first, then per
     * worker count the {@code pmap} row and the bare threads' row. Undefined values are missing.
     *
     * @return a new table
     */
    public Table table() {
        return SpeedupViews.table(this);
    }

    /**
     * The chart: measured speedup (median) with min-max bars, the bare threads' speedups, the
     * ideal linear line, the available cores marked, the fitted Amdahl curve (up to 4 times the
     * largest worker count fitted), titled axes and a legend.
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

    AmdahlFit fit() {
        return fit;
    }

    String title() {
        return measurement.label().isEmpty()
                ? "Speedup vs workers" : "Speedup vs workers: " + measurement.label();
    }

    String summary() {
        return SpeedupReport.summary(this);
    }

    String fitLine() {
        return SpeedupReport.fitLine(this);
    }
}
