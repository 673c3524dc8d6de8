package dev.parkit.speedup;

import dev.parkit.util.Text;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** The views of a {@link SpeedupResult}: table, text, HTML and chart. Each call builds anew. */
final class SpeedupViews {

    static final String RUN = "run";
    static final String WORKERS = "workers";
    static final String MEDIAN = "median ms";
    static final String MIN = "min ms";
    static final String MAX = "max ms";
    static final String SPEEDUP = "speedup";
    static final String SPEEDUP_MIN = "min speedup";
    static final String SPEEDUP_MAX = "max speedup";
    static final String EFFICIENCY = "efficiency";
    static final String KARP_FLATT = "Karp-Flatt serial fraction";
    static final String CORES_BUSY = "cores busy";
    static final String SERIAL_RUN = "serial loop";
    static final String PMAP_RUN = "pmap";
    static final String THREADS_RUN = "bare threads";

    static final String MEASURED_SERIES = "measured (median, bars: min to max)";
    static final String RANGE_SERIES = "min to max";
    static final String THREADS_SERIES = "bare threads (median)";
    static final String IDEAL_SERIES = "ideal (linear)";
    static final String CORES_SERIES_PREFIX = "available cores: ";
    static final String AMDAHL_SERIES_PREFIX = "Amdahl fit, p = ";

    private static final Color MEASURED = new Color(0x1f, 0x77, 0xb4);
    private static final Color IDEAL = new Color(0x99, 0x99, 0x99);
    private static final Color CORES = new Color(0xd6, 0x27, 0x28);
    private static final Color AMDAHL = new Color(0xff, 0x7f, 0x0e);
    private static final Color THREADS = new Color(0x2c, 0xa0, 0x2c);
    private static final int AMDAHL_POINTS = 48;

    private SpeedupViews() {}

    // ---- table ----

    static Table table(SpeedupResult r) {
        StringColumn run = StringColumn.create(RUN);
        IntColumn workers = IntColumn.create(WORKERS);
        DoubleColumn median = DoubleColumn.create(MEDIAN);
        DoubleColumn min = DoubleColumn.create(MIN);
        DoubleColumn max = DoubleColumn.create(MAX);
        DoubleColumn speedup = DoubleColumn.create(SPEEDUP);
        DoubleColumn low = DoubleColumn.create(SPEEDUP_MIN);
        DoubleColumn high = DoubleColumn.create(SPEEDUP_MAX);
        DoubleColumn efficiency = DoubleColumn.create(EFFICIENCY);
        DoubleColumn karpFlatt = DoubleColumn.create(KARP_FLATT);
        DoubleColumn busy = DoubleColumn.create(CORES_BUSY);
        List<Map.Entry<String, SpeedupRow>> lines = new ArrayList<>();
        lines.add(Map.entry(SERIAL_RUN, r.serialRow()));
        for (SpeedupRow row : r.rows()) {
            lines.add(Map.entry(PMAP_RUN, row));
            r.threadRows().stream().filter(t -> t.workers() == row.workers())
                    .forEach(t -> lines.add(Map.entry(THREADS_RUN, t)));
        }
        for (Map.Entry<String, SpeedupRow> line : lines) {
            SpeedupRow row = line.getValue();
            run.append(line.getKey());
            workers.append(row.workers());
            median.append(row.medianMs());
            min.append(row.minMs());
            max.append(row.maxMs());
            speedup.append(row.speedup());
            low.append(row.speedupLow());
            high.append(row.speedupHigh());
            efficiency.append(row.efficiency());
            karpFlatt.append(row.karpFlatt());
            busy.append(row.coresBusy());
        }
        for (DoubleColumn c : List.of(median, min, max)) {
            c.setPrintFormatter(formatter("0.000"));
        }
        for (DoubleColumn c : List.of(speedup, low, high, efficiency, busy)) {
            c.setPrintFormatter(formatter("0.00"));
        }
        karpFlatt.setPrintFormatter(formatter("0.000"));
        return Table.create(r.title(), run, workers, median, min, max, speedup, low, high, efficiency, karpFlatt,
                busy);
    }

    private static NumberColumnFormatter formatter(String pattern) {
        // Locale.ROOT: the same digits in every locale; NaN (missing) prints as "".
        return new NumberColumnFormatter(SpeedupReport.decimalFormat(pattern), "");
    }

    // ---- text ----

    static String text(SpeedupResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.title()).append('\n').append(r.summary()).append('\n');
        Table t = table(r);
        t.setName("");
        // Without a name Tablesaw still prints an (empty) title line: drop it.
        String printed = t.printAll();
        b.append(printed.substring(printed.indexOf('\n') + 1).stripTrailing()).append('\n');
        // Notes stay out: JShell shortens long values in the middle, and the warnings come last.
        b.append(r.fitLine()).append('\n');
        for (String warning : r.warnings()) {
            b.append("WARNING: ").append(warning).append('\n');
        }
        return b.toString().stripTrailing();
    }

    // ---- HTML ----

    static String html(SpeedupResult r) {
        Table t = table(r);
        StringBuilder b = new StringBuilder("<div class=\"parkit-speedup\">\n");
        b.append("<p><b>").append(esc(r.title())).append("</b><br>").append(esc(r.summary())).append("</p>\n");
        b.append("<table>\n<thead><tr>");
        for (String name : t.columnNames()) {
            b.append("<th>").append(esc(name)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (int row = 0; row < t.rowCount(); row++) {
            b.append("<tr>");
            for (Column<?> c : t.columns()) {
                b.append("<td style=\"text-align:right\">").append(esc(c.getString(row))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        b.append("<p>").append(esc(r.fitLine())).append("</p>\n");
        if (!r.notes().isEmpty()) {
            b.append("<ul style=\"color:#555\">\n");
            for (String note : r.notes()) {
                b.append("<li>").append(esc(note)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        if (!r.warnings().isEmpty()) {
            b.append("<ul style=\"color:#b00020\">\n");
            for (String warning : r.warnings()) {
                b.append("<li>&#9888; ").append(esc(warning)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        return b.append("</div>").toString();
    }

    static String esc(String s) {
        return Text.html(s);
    }

    // ---- chart ----

    static XYChart chart(SpeedupResult r) {
        List<SpeedupRow> rows = r.rows();
        int cores = r.cores();
        double xMax = Math.max(rows.get(rows.size() - 1).workers(), cores);
        double yMax = xMax;
        for (SpeedupRow row : rows) {
            if (row.speedupHigh() > yMax) {
                yMax = row.speedupHigh();
            }
        }
        for (SpeedupRow row : r.threadRows()) {
            if (row.speedup() > yMax) {
                yMax = row.speedup();
            }
        }
        XYChart chart = new XYChartBuilder().width(720).height(450).title(r.title())
                .xAxisTitle("workers").yAxisTitle("speedup over the serial loop").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setXAxisMin(0.0);
        st.setXAxisMax(xMax * 1.05);
        st.setYAxisMin(0.0);
        st.setYAxisMax(yMax * 1.08);
        st.setXAxisDecimalPattern("0");
        st.setYAxisDecimalPattern("0.#");
        st.setMarkerSize(8);
        st.setErrorBarsColorSeriesColor(true);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe0, 0xe0, 0xe0));
        st.setLegendBorderColor(new Color(0xcc, 0xcc, 0xcc));
        st.setAntiAlias(true);

        XYSeries ideal = chart.addSeries(IDEAL_SERIES, new double[] {1, xMax}, new double[] {1, xMax});
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineColor(IDEAL);
        ideal.setLineStyle(dashed(1.5f, 6f));

        XYSeries coreLine = chart.addSeries(CORES_SERIES_PREFIX + cores,
                new double[] {cores, cores}, new double[] {0, yMax * 1.08});
        coreLine.setMarker(SeriesMarkers.NONE);
        coreLine.setLineColor(CORES);
        coreLine.setLineStyle(dashed(1.5f, 3f));

        double p = r.parallelFraction();
        if (!Double.isNaN(p)) {
            // No curve beyond what the fit may predict: 4x the largest worker count fitted.
            double end = Math.min(xMax, r.fit().reach());
            double[] xs = new double[AMDAHL_POINTS + 1];
            double[] ys = new double[AMDAHL_POINTS + 1];
            for (int i = 0; i <= AMDAHL_POINTS; i++) {
                xs[i] = 1 + (end - 1) * i / AMDAHL_POINTS;
                ys[i] = SpeedupMath.amdahl(p, xs[i]);
            }
            XYSeries amdahl = chart.addSeries(AMDAHL_SERIES_PREFIX + SpeedupReport.fmt(p, "0.000") + " ("
                    + SpeedupReport.fmt(r.parallelFractionLow(), "0.000") + " to "
                    + SpeedupReport.fmt(r.parallelFractionHigh(), "0.000") + ")", xs, ys);
            amdahl.setMarker(SeriesMarkers.NONE);
            amdahl.setLineColor(AMDAHL);
            amdahl.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }

        int n = rows.size();
        double[] x = new double[n];
        double[] median = new double[n];
        double[] mid = new double[n];
        double[] half = new double[n];
        for (int i = 0; i < n; i++) {
            SpeedupRow row = rows.get(i);
            x[i] = row.workers();
            median[i] = row.speedup();
            // XChart's error bars are symmetric: a hidden series at the middle of [low, high]
            // with half the range as its bar draws exactly the min-to-max interval.
            boolean known = !Double.isNaN(row.speedupLow()) && !Double.isNaN(row.speedupHigh());
            mid[i] = known ? (row.speedupLow() + row.speedupHigh()) / 2 : Double.NaN;
            half[i] = known ? (row.speedupHigh() - row.speedupLow()) / 2 : 0;
        }
        XYSeries range = chart.addSeries(RANGE_SERIES, x, mid, half);
        range.setMarker(SeriesMarkers.NONE);
        range.setLineStyle(new BasicStroke(0f));
        range.setLineColor(MEASURED);
        range.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        range.setShowInLegend(false);

        if (!r.threadRows().isEmpty()) {
            XYSeries threads = chart.addSeries(THREADS_SERIES,
                    r.threadRows().stream().mapToDouble(SpeedupRow::workers).toArray(),
                    r.threadRows().stream().mapToDouble(SpeedupRow::speedup).toArray());
            threads.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            threads.setMarker(SeriesMarkers.DIAMOND);
            threads.setMarkerColor(THREADS);
        }

        XYSeries measured = chart.addSeries(MEASURED_SERIES, x, median);
        measured.setMarker(SeriesMarkers.CIRCLE);
        measured.setMarkerColor(MEASURED);
        measured.setLineColor(MEASURED);
        measured.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        return chart;
    }

    private static BasicStroke dashed(float width, float dash) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {dash, dash}, 0f);
    }
}
