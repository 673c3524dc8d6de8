package dev.parkit.speedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.display.Displays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/** The table, text, HTML and chart views of a fixed measurement. */
class SpeedupViewsTest {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Serial 100 ms; 1 worker 125 ms, 2 workers 50 ms, 4 workers 40 ms; bare threads too; 4 cores. */
    private static SpeedupResult sample() {
        return SpeedupResult.of(new Measurement("squares", 4, 1000, 2, Double.NaN,
                new Timing(List.of(100.0, 100.0, 100.0), List.of(101.0, 100.0, 102.0)),
                Map.of(1, Timing.ofMillis(125, 120, 130),
                        2, new Timing(List.of(50.0, 45.0, 55.0), List.of(99.0, 90.0, 108.0)),
                        4, Timing.ofMillis(40, 38, 42)),
                Map.of(2, Timing.ofMillis(51, 50, 52), 4, Timing.ofMillis(39, 39, 39)), 0));
    }

    @Test
    void shouldHaveTheSpeedupColumnsAndTheSerialPmapAndBareThreadRows() {
        Table t = sample().table();
        assertEquals(List.of("run", "workers", "median ms", "min ms", "max ms", "speedup", "min speedup",
                "max speedup", "efficiency", "Karp-Flatt serial fraction", "cores busy"), t.columnNames());
        assertEquals(List.of("serial loop", "pmap", "pmap", "bare threads", "pmap", "bare threads"),
                t.stringColumn("run").asList());
        assertEquals(List.of(1, 1, 2, 2, 4, 4), t.intColumn("workers").asList());
        assertEquals(List.of(100.0, 125.0, 50.0, 51.0, 40.0, 39.0), t.doubleColumn("median ms").asList());
        assertEquals(List.of(100.0, 120.0, 45.0, 50.0, 38.0, 39.0), t.doubleColumn("min ms").asList());
        assertEquals(List.of(100.0, 130.0, 55.0, 52.0, 42.0, 39.0), t.doubleColumn("max ms").asList());
        assertEquals(List.of(1.0, 0.8, 2.0, 100 / 51.0, 2.5, 100 / 39.0), t.doubleColumn("speedup").asList());
        assertEquals(100 / 55.0, t.doubleColumn("min speedup").getDouble(2), 1e-12);
        assertEquals(100 / 45.0, t.doubleColumn("max speedup").getDouble(2), 1e-12);
        assertEquals(0.625, t.doubleColumn("efficiency").getDouble(4), 1e-12);
        assertTrue(t.doubleColumn("Karp-Flatt serial fraction").isMissing(1), "undefined at 1 worker");
        assertEquals(0.2, t.doubleColumn("Karp-Flatt serial fraction").getDouble(4), 1e-12);
        assertEquals(1.01, t.doubleColumn("cores busy").getDouble(0), 1e-12);
        // The 45 ms run is too short for a CPU figure: the median of 99/50 and 108/55.
        assertEquals((99 / 50.0 + 108 / 55.0) / 2, t.doubleColumn("cores busy").getDouble(2), 1e-12);
        assertTrue(t.doubleColumn("cores busy").isMissing(1), "no CPU times");
        assertEquals("Speedup vs workers: squares", t.name());
    }

    @Test
    void shouldGiveANewTableEachTime() {
        SpeedupResult r = sample();
        r.table().dropRows(0);
        assertEquals(6, r.table().rowCount());
    }

    @Test
    void shouldFormatTheTableTheSameInEveryLocale() {
        Table t = sample().table();
        assertEquals("125.000", t.column("median ms").getString(1));
        assertEquals("0.80", t.column("speedup").getString(1));
        assertEquals("0.63", t.column("efficiency").getString(4));
        assertEquals("", t.column("Karp-Flatt serial fraction").getString(1));
        assertEquals("0.200", t.column("Karp-Flatt serial fraction").getString(4));
        assertEquals("1.01", t.column("cores busy").getString(0));
    }

    @Test
    void shouldPrintTitleSummaryTableAndFit() {
        String text = sample().toString();
        String[] lines = text.split("\n");
        assertEquals("Speedup vs workers: squares", lines[0]);
        assertEquals("1000 items, 4 cores available; 2 warm-up and 3 timed runs per configuration, in rounds;"
                + " baseline: the serial loop, median 100.0 ms (min 100.0, max 100.0)", lines[1]);
        assertEquals("     run       |  workers  |  median ms  |  min ms   |  max ms   |  speedup  |  min speedup  |"
                + "  max speedup  |  efficiency  |  Karp-Flatt serial fraction  |  cores busy  |", lines[2]);
        assertEquals("  serial loop  |        1  |    100.000  |  100.000  |  100.000  |     1.00  |         1.00  |"
                + "         1.00  |        1.00  |                              |        1.01  |", lines[4]);
        assertEquals(" bare threads  |        2  |     51.000  |   50.000  |   52.000  |     1.96  |         1.92  |"
                + "         2.00  |        0.98  |                       0.020  |              |", lines[7]);
        assertEquals("         pmap  |        4  |     40.000  |   38.000  |   42.000  |     2.50  |         2.38  |"
                + "         2.63  |        0.63  |                       0.200  |              |", lines[8]);
        assertEquals("Amdahl fit on workers 2 and 4: parallel fraction p = 0.862 (0.812 to 0.911 from the per-round"
                + " speedups); predicted speedup 4.06x (3.46 to 4.92) on 8 cores; no prediction for 16 cores: the"
                + " per-round spread makes it uncertain by more than 25%; no prediction for 32 cores: more than 4x"
                + " the 4 workers measured", lines[10]);
        assertEquals(11, lines.length, text);
        assertTrue(!text.contains("WARNING"), text);
    }

    @Test
    void shouldPrintWarningsLast() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 2, 2, Double.NaN, Timing.ofMillis(100, 100, 100),
                Map.of(1, Timing.ofMillis(100, 100, 100), 4, Timing.ofMillis(50, 50, 50))));
        String text = r.toString();
        assertTrue(text.startsWith("Speedup vs workers\n"), text);
        assertTrue(text.endsWith("WARNING: " + r.warnings().get(r.warnings().size() - 1)), text);
        assertTrue(r.toHtml().contains("<li>&#9888; only 2 items for 4 workers"), r.toHtml());
    }

    @Test
    void shouldRenderTheTableAsHtml() {
        String html = sample().toHtml();
        assertTrue(html.startsWith("<div class=\"parkit-speedup\">"), html);
        assertTrue(html.contains("<thead><tr><th>run</th><th>workers</th><th>median ms</th><th>min ms</th>"
                + "<th>max ms</th><th>speedup</th><th>min speedup</th><th>max speedup</th><th>efficiency</th>"
                + "<th>Karp-Flatt serial fraction</th><th>cores busy</th></tr></thead>"), html);
        assertTrue(html.contains("<tr><td style=\"text-align:right\">bare threads</td><td style=\"text-align:right\">4"
                + "</td><td style=\"text-align:right\">39.000</td>"), html);
        assertTrue(html.contains("<b>Speedup vs workers: squares</b>"), html);
        assertTrue(html.contains("<li>error bars: the smallest and largest per-round speedups</li>"), html);
        assertTrue(html.contains("<li>bare threads: n plain threads, each on a fixed equal share of the items, timed"
                + " in the same rounds: what the machine gives without ParKit</li>"), html);
        assertEquals(7, html.split("<tr>", -1).length - 1, "a header row and six data rows");
    }

    @Test
    void shouldEscapeTheLabelInHtml() {
        SpeedupResult r = SpeedupResult.of(new Measurement("<a&b>", 2, 10, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100))));
        assertTrue(r.toHtml().contains("Speedup vs workers: &lt;a&amp;b&gt;"), r.toHtml());
    }

    @Test
    void shouldDrawMeasuredIdealCoresAndAmdahlSeries() {
        XYChart chart = sample().chart();
        assertEquals("Speedup vs workers: squares", chart.getTitle());
        assertEquals("workers", chart.getXAxisTitle());
        assertEquals("speedup over the serial loop", chart.getYAxisTitle());
        assertTrue(chart.getStyler().isLegendVisible());
        assertEquals(List.of("ideal (linear)", "available cores: 4", "Amdahl fit, p = 0.862 (0.812 to 0.911)",
                "min to max", "bare threads (median)", "measured (median, bars: min to max)"),
                List.copyOf(chart.getSeriesMap().keySet()));
        var measured = chart.getSeriesMap().get("measured (median, bars: min to max)");
        assertArrayEquals(new double[] {1, 2, 4}, measured.getXData());
        assertArrayEquals(new double[] {0.8, 2.0, 2.5}, measured.getYData(), 1e-12);
        assertArrayEquals(new double[] {2, 4}, chart.getSeriesMap().get("bare threads (median)").getXData());
        assertArrayEquals(new double[] {100 / 51.0, 100 / 39.0},
                chart.getSeriesMap().get("bare threads (median)").getYData(), 1e-12);
        // The bars: centred between the smallest and largest per-round speedup, half the range wide.
        var range = chart.getSeriesMap().get("min to max");
        double low = 100.0 / 55;
        double high = 100.0 / 45;
        assertEquals((low + high) / 2, range.getYData()[1], 1e-12);
        assertEquals((high - low) / 2, range.getExtraValues()[1], 1e-12);
        assertArrayEquals(new double[] {4, 4}, chart.getSeriesMap().get("available cores: 4").getXData());
        double[] amdahlY = chart.getSeriesMap().get("Amdahl fit, p = 0.862 (0.812 to 0.911)").getYData();
        assertEquals(1.0, amdahlY[0], 1e-12);
    }

    @Test
    void shouldEndTheAmdahlCurveAtFourTimesTheLargestWorkerCountFitted() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 2, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100), 2, Timing.ofMillis(52), 16, Timing.ofMillis(51))));
        double[] x = r.chart().getSeriesMap().get("Amdahl fit, p = 0.960 (0.960 to 0.960)").getXData();
        assertEquals(8.0, x[x.length - 1], 1e-12);
    }

    @Test
    void shouldLeaveOutTheAmdahlCurveWithoutAFit() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100))));
        assertTrue(r.chart().getSeriesMap().keySet().stream().noneMatch(n -> n.startsWith("Amdahl")));
        assertTrue(r.toString().contains("Amdahl fit: none (it needs a measurement with 2 to 4 workers)"));
    }

    @Test
    void shouldEncodeTheChartAsPng() {
        byte[] png = sample().chartPng();
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    }

    @Test
    void shouldSavePngAndSvg(@TempDir Path dir) throws Exception {
        SpeedupResult r = sample();
        Path png = r.saveChart(dir.resolve("speedup.png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), 8));
        Path svg = r.saveChart(dir.resolve("speedup.SVG"));
        assertEquals(dir.resolve("speedup.SVG"), svg);
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<?xml"), text.substring(0, 40));
        assertTrue(text.contains("<svg"), "an SVG document");
    }

    @Test
    void shouldRejectOtherChartFormats(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sample().saveChart(dir.resolve("speedup.jpg")));
        assertTrue(e.getMessage().startsWith("saveChart writes .png or .svg files, got "), e.getMessage());
        assertEquals("path must not be null",
                assertThrows(NullPointerException.class, () -> sample().saveChart(null)).getMessage());
    }

    @Test
    void shouldShowChartAsPngAndTableAsHtmlInANotebook() {
        Recorder notebook = new Recorder(true);
        SpeedupResult r = sample();
        try (Displays.Scope s = Displays.use(notebook)) {
            r.display();
        }
        List<Recorder.Call> calls = notebook.calls();
        assertEquals(2, calls.size());
        assertEquals("SHOW", calls.get(0).kind());
        byte[] png = (byte[]) calls.get(0).bundle().get("image/png");
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        assertEquals("SHOW", calls.get(1).kind());
        assertEquals(r.toHtml(), calls.get(1).bundle().get("text/html"));
        assertEquals(r.toString(), calls.get(1).bundle().get("text/plain"));
    }

    @Test
    void shouldPrintTheTextInATerminal() {
        Recorder terminal = new Recorder(false);
        SpeedupResult r = sample();
        try (Displays.Scope s = Displays.use(terminal)) {
            r.display();
        }
        assertEquals(r.toString() + "\n", terminal.printed());
        assertEquals(1, terminal.calls().size());
    }

    @Test
    void shouldBundleChartAndTableForAKernelRenderer() {
        SpeedupResult r = sample();
        Map<String, Object> bundle = r.mimeBundle();
        assertEquals(r.toString(), bundle.get("text/plain"));
        String html = (String) bundle.get("text/html");
        assertTrue(html.startsWith("<div><img alt=\"speedup chart\" src=\"data:image/png;base64,iVBORw0KGgo"), html);
        assertTrue(html.endsWith(r.toHtml()));
    }
}
