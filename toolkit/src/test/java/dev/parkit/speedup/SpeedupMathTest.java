package dev.parkit.speedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The numbers of a speedup analysis, on fixed timings: no measuring here. */
class SpeedupMathTest {

    private static final double EPS = 1e-12;

    /** Serial 100 ms; 1 worker 125 ms, 2 workers 50 ms, 4 workers 40 ms; 4 cores. */
    private static SpeedupResult sample() {
        return SpeedupResult.of(new Measurement("sample", 4, 1000, 2, Double.NaN, Timing.ofMillis(100, 100, 100),
                Map.of(1, Timing.ofMillis(125, 120, 130),
                        2, Timing.ofMillis(50, 40, 80),
                        4, Timing.ofMillis(40, 50, 25))));
    }

    @Test
    void shouldTakeMedianMinAndMaxOfTheSamples() {
        Timing odd = Timing.ofMillis(30, 10, 20);
        assertEquals(20, odd.medianMs(), EPS);
        assertEquals(10, odd.minMs(), EPS);
        assertEquals(30, odd.maxMs(), EPS);
        assertEquals(3, odd.runs());
        assertEquals(25, Timing.ofMillis(40, 10, 30, 20).medianMs(), EPS);
        assertEquals(List.of(30.0, 10.0, 20.0), odd.samplesMs());
    }

    @Test
    void shouldComputeTheMedianOfPerRoundSpeedups() {
        List<SpeedupRow> rows = sample().rows();
        assertEquals(List.of(1, 2, 4), rows.stream().map(SpeedupRow::workers).toList());
        assertEquals(0.8, rows.get(0).speedup(), EPS);   // 100 / 125
        assertEquals(2.0, rows.get(1).speedup(), EPS);   // 100 / 50
        assertEquals(2.5, rows.get(2).speedup(), EPS);   // 100 / 40
    }

    @Test
    void shouldBoundTheSpeedupBySmallestAndLargestPerRoundSpeedup() {
        SpeedupRow two = sample().rows().get(1);
        assertEquals(40, two.minMs(), EPS);
        assertEquals(80, two.maxMs(), EPS);
        assertEquals(1.25, two.speedupLow(), EPS);   // 100 / 80
        assertEquals(2.5, two.speedupHigh(), EPS);   // 100 / 40
    }

    @Test
    void shouldComputeEfficiencyAsSpeedupPerWorker() {
        List<SpeedupRow> rows = sample().rows();
        assertEquals(0.8, rows.get(0).efficiency(), EPS);
        assertEquals(1.0, rows.get(1).efficiency(), EPS);
        assertEquals(0.625, rows.get(2).efficiency(), EPS);
    }

    @Test
    void shouldComputeKarpFlattSerialFraction() {
        List<SpeedupRow> rows = sample().rows();
        assertTrue(Double.isNaN(rows.get(0).karpFlatt()), "undefined for 1 worker");
        assertEquals(0.0, rows.get(1).karpFlatt(), EPS);           // (1/2 - 1/2) / (1 - 1/2)
        assertEquals(0.2, rows.get(2).karpFlatt(), EPS);           // (0.4 - 0.25) / 0.75
    }

    @Test
    void shouldFitAmdahlByLeastSquaresOnWorkersUpToTheCores() {
        SpeedupResult r = sample();
        // x = 1 - 1/n, y = 1 - 1/S: (0.5, 0.5) and (0.75, 0.6); p = (0.25 + 0.45) / (0.25 + 0.5625)
        double p = 0.7 / 0.8125;
        assertEquals(p, r.parallelFraction(), EPS);
        assertEquals(List.of(2, 4), r.fitWorkers());
        assertEquals(1 / ((1 - p) + p / 8), r.predictedSpeedup(8), EPS);
        assertEquals(1 / ((1 - p) + p / 32), r.predictedSpeedup(32), EPS);
        assertEquals(1.0, r.predictedSpeedup(1), EPS);
    }

    @Test
    void shouldRecoverTheParallelFractionOfExactAmdahlTimes() {
        double p = 0.9;
        Map<Integer, Timing> byWorkers = new TreeMap<>();
        for (int n : new int[] {1, 2, 4, 8}) {
            byWorkers.put(n, Timing.ofMillis(1000 * ((1 - p) + p / n)));
        }
        SpeedupResult r = SpeedupResult.of(new Measurement("", 8, 100, 1, Double.NaN, Timing.ofMillis(1000), byWorkers));
        assertEquals(0.9, r.parallelFraction(), 1e-12);
        assertEquals(1 / (0.1 + 0.9 / 16), r.predictedSpeedup(16), 1e-9);
        for (SpeedupRow row : r.rows()) {
            if (row.workers() > 1) {
                // For exact Amdahl times the Karp-Flatt fraction is the serial fraction 1 - p.
                assertEquals(0.1, row.karpFlatt(), 1e-12);
            }
        }
    }

    @Test
    void shouldIgnoreOversubscribedWorkerCountsInTheFit() {
        // 2 cores: the 4-worker time (slower than 2 workers) must not move the fit.
        SpeedupResult r = SpeedupResult.of(new Measurement("", 2, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100), 2, Timing.ofMillis(60), 4, Timing.ofMillis(90))));
        assertEquals(List.of(2), r.fitWorkers());
        // one point: 1 - 1/S = p (1 - 1/2) with S = 100/60 -> p = 2 * 0.4 = 0.8
        assertEquals(0.8, r.parallelFraction(), EPS);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("up to the available cores (2)") && n.contains("share cores")),
                r.notes().toString());
        assertTrue(r.toString().contains("Amdahl fit on 2 workers (up to the 2 cores): parallel fraction p = 0.800"
                + " (0.800 to 0.800 from the per-round speedups), from one worker count"),
                r.toString());
    }

    @Test
    void shouldClampSuperlinearFitToOneAndWarn() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(2, Timing.ofMillis(40), 4, Timing.ofMillis(20))));
        assertEquals(1.0, r.parallelFraction(), EPS);
        assertTrue(r.warnings().contains("the Amdahl fit gives p above 1 and is clamped to p = 1"), r.warnings().toString());
        assertTrue(r.warnings().contains("2 workers measured 2.50x, above linear, but there is no bare-thread reference"
                + " to confirm it: not a real superlinear speedup; the serial loop was slowed in some rounds; run again"
                + " on a quiet machine"), r.warnings().toString());
    }

    @Test
    void shouldClampSlowdownFitToZeroAndWarn() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(2, Timing.ofMillis(150), 4, Timing.ofMillis(200))));
        assertEquals(0.0, r.parallelFraction(), EPS);
        assertEquals(1.0, r.predictedSpeedup(32), EPS);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("slower than the serial loop")),
                r.warnings().toString());
    }

    @Test
    void shouldHaveNoFitWithoutAWorkerCountFromTwoToTheCores() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100), 8, Timing.ofMillis(30))));
        assertTrue(Double.isNaN(r.parallelFraction()));
        assertTrue(Double.isNaN(r.predictedSpeedup(8)));
        assertEquals(List.of(), r.fitWorkers());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("could not be fitted")), r.warnings().toString());
    }

    @Test
    void shouldWarnOnOneCore() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 1, 100, 1, Double.NaN, Timing.ofMillis(100),
                Map.of(1, Timing.ofMillis(100), 2, Timing.ofMillis(100))));
        assertTrue(Double.isNaN(r.parallelFraction()));
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("only 1 core is available")),
                r.warnings().toString());
    }

    @Test
    void shouldWarnWhenTheMachineWasBusy() {
        Map<Integer, Timing> runs = Map.of(1, Timing.ofMillis(100, 100, 100), 2, Timing.ofMillis(95, 95, 95));
        SpeedupResult busy = SpeedupResult.of(new Measurement("", 2, 1000, 2, 0.814, Timing.ofMillis(100, 100, 100), runs));
        assertEquals(List.of("the machine was busy: other processes kept 0.81 of 2 cores busy during the timed runs,"
                + " so the speedups come out low; run again when the machine is idle"),
                busy.warnings());
        assertTrue(busy.toString().contains("; other processes used 0.81 cores meanwhile\n"), busy.toString());
        SpeedupResult idle = SpeedupResult.of(new Measurement("", 2, 1000, 2, 0.2, Timing.ofMillis(100, 100, 100), runs));
        assertEquals(List.of(), idle.warnings());
    }

    @Test
    void shouldWarnWhenTheRunIsTooShortToTime() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 1000, 2, Double.NaN, Timing.ofMillis(0.4, 0.5, 0.45),
                Map.of(1, Timing.ofMillis(0.5, 0.5, 0.5), 2, Timing.ofMillis(0.3, 0.3, 0.3))));
        assertTrue(r.warnings().stream().anyMatch(
                w -> w.startsWith("the serial loop takes only 0.450 ms: too short to time reliably")),
                r.warnings().toString());
    }

    @Test
    void shouldWarnWhenThereAreFewerItemsThanWorkers() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 8, 3, 2, Double.NaN, Timing.ofMillis(300, 300, 300),
                Map.of(1, Timing.ofMillis(300, 300, 300), 2, Timing.ofMillis(200, 200, 200),
                        4, Timing.ofMillis(100, 100, 100), 8, Timing.ofMillis(100, 100, 100))));
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("only 3 items for 4 and 8 workers")),
                r.warnings().toString());
    }

    @Test
    void shouldWarnAboutNoisyTimesFewRepetitionsAndNoWarmup() {
        SpeedupResult noisy = SpeedupResult.of(new Measurement("", 4, 100, 1, Double.NaN, Timing.ofMillis(100, 100, 100),
                Map.of(2, Timing.ofMillis(50, 20, 90))));
        assertTrue(noisy.warnings().stream().anyMatch(w -> w.contains("vary by more than 50%")
                && w.contains("2 workers")), noisy.warnings().toString());

        SpeedupResult few = SpeedupResult.of(new Measurement("", 4, 100, 0, Double.NaN, Timing.ofMillis(100),
                Map.of(2, Timing.ofMillis(50))));
        assertTrue(few.warnings().stream().anyMatch(w -> w.startsWith("only 1 timed run per configuration")),
                few.warnings().toString());
        assertTrue(few.warnings().stream().anyMatch(w -> w.startsWith("no warm-up runs")), few.warnings().toString());
    }

    @Test
    void shouldNotWarnAboutACleanMeasurement() {
        assertEquals(List.of(), sampleClean().warnings());
    }

    private static SpeedupResult sampleClean() {
        return SpeedupResult.of(new Measurement("", 4, 1000, 2, Double.NaN, Timing.ofMillis(100, 101, 99),
                Map.of(1, Timing.ofMillis(102, 103, 101), 2, Timing.ofMillis(52, 51, 53),
                        4, Timing.ofMillis(27, 28, 26))));
    }

    @Test
    void shouldPairSpeedupsByRound() {
        // Round 2's serial run was slowed (200 ms) while its parallel run was not disturbed as much.
        Timing serial = Timing.ofMillis(100, 200, 100);
        Timing two = Timing.ofMillis(50, 100, 60);
        assertArrayEquals(new double[] {2.0, 2.0, 100.0 / 60}, SpeedupMath.pairedSpeedups(serial, two), EPS);
        SpeedupRow row = SpeedupRow.of(2, serial, two);
        assertEquals(2.0, row.speedup(), EPS);        // not serial median / median = 100 / 60
        assertEquals(100.0 / 60, row.speedupLow(), EPS);
        assertEquals(2.0, row.speedupHigh(), EPS);
    }

    @Test
    void shouldCompareEachRunWithTheSerialMedianWhenRunsDoNotPair() {
        assertArrayEquals(new double[] {2.0, 4.0}, SpeedupMath.pairedSpeedups(Timing.ofMillis(90, 100, 110),
                Timing.ofMillis(50, 25)), EPS);
    }

    @Test
    void shouldTakeMediansMinsAndMaxesWithNaNPropagating() {
        assertEquals(2.5, SpeedupMath.median(new double[] {3, 1, 2, 4}), EPS);
        assertTrue(Double.isNaN(SpeedupMath.median(new double[] {1, Double.NaN, 2})));
        assertTrue(Double.isNaN(SpeedupMath.median(new double[0])));
        assertEquals(1, SpeedupMath.min(new double[] {3, 1, 2}), EPS);
        assertEquals(3, SpeedupMath.max(new double[] {3, 1, 2}), EPS);
    }

    /** 2 cores: serial 100 ms each round; 2 workers with per-round speedups 1.90, 1.94, 1.98. */
    private static SpeedupResult twoCores() {
        return SpeedupResult.of(new Measurement("", 2, 400, 2, 0.01, Timing.ofMillis(100, 100, 100),
                Map.of(1, Timing.ofMillis(101, 101, 101), 2, Timing.ofMillis(100 / 1.94, 100 / 1.90, 100 / 1.98),
                        4, Timing.ofMillis(52, 52, 52)),
                Map.of(2, Timing.ofMillis(100 / 1.95, 100 / 1.95, 100 / 1.95)), 1));
    }

    @Test
    void shouldGiveTheParallelFractionIntervalFromThePerRoundSpeedups() {
        SpeedupResult r = twoCores();
        assertEquals(2 * (1 - 1 / 1.94), r.parallelFraction(), 1e-9);
        assertEquals(2 * (1 - 1 / 1.90), r.parallelFractionLow(), 1e-9);
        assertEquals(2 * (1 - 1 / 1.98), r.parallelFractionHigh(), 1e-9);
        assertTrue(r.fitLine().startsWith("Amdahl fit on 2 workers (up to the 2 cores): parallel fraction"
                + " p = 0.969 (0.947 to 0.990 from the per-round speedups), from one worker count:"
                + " p = (1 - 1/S) / (1 - 1/2) fits any single point, so this does not test Amdahl's law;"), r.fitLine());
    }

    @Test
    void shouldPredictOnlyUpToFourTimesTheLargestWorkerCountFitted() {
        SpeedupResult r = twoCores();
        assertTrue(r.supportsPrediction(8));
        assertFalse(r.supportsPrediction(9));
        assertFalse(r.supportsPrediction(32));
        double p = r.parallelFraction();
        assertEquals(1 / ((1 - p) + p / 32), r.predictedSpeedup(32), EPS); // the formula still answers
        assertTrue(r.fitLine().endsWith("; predicted speedup 6.58x (5.85 to 7.47) on 8 cores; no prediction for"
                + " 16 and 32 cores: more than 4x the 2 workers measured"), r.fitLine());
        assertEquals("cores must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> r.supportsPrediction(0)).getMessage());
    }

    @Test
    void shouldMakeNoPredictionWhoseIntervalIsWiderThanAQuarter() {
        // Per-round speedups 1.5 to 2.0 with 2 workers and 2.4 to 3.9 with 4: p from 0.69 to 0.99.
        SpeedupResult r = SpeedupResult.of(new Measurement("", 4, 400, 2, Double.NaN, Timing.ofMillis(100, 100, 100),
                Map.of(2, Timing.ofMillis(100 / 1.5, 100 / 1.8, 100 / 2.0),
                        4, Timing.ofMillis(100 / 2.4, 100 / 3.3, 100 / 3.9))));
        assertTrue(r.supportsPrediction(2));
        assertFalse(r.supportsPrediction(4)); // 3.20x, but 2.26x at p = 0.744: 29% below
        assertFalse(r.supportsPrediction(8));
        assertTrue(r.fitLine().contains("; no prediction for 8 and 16 cores: the per-round spread makes it uncertain"
                + " by more than 25%; no prediction for 32 cores: more than 4x the 4 workers measured"), r.fitLine());
    }

    @Test
    void shouldShowTheBareThreadsAndNotWarnWhenPmapIsWithinThreePercentOfThem() {
        SpeedupResult r = twoCores();
        assertEquals(List.of(2), r.threadRows().stream().map(SpeedupRow::workers).toList());
        assertEquals(1.95, r.threadRows().get(0).speedup(), 1e-9);
        assertEquals(List.of(), r.warnings());
        assertTrue(r.summary().endsWith("; other processes used 0.01 cores meanwhile; 1 round run again because"
                + " other processes were busy"), r.summary());
    }

    @Test
    void shouldWarnWhenPmapBeatsTheBareThreadsByMoreThanThreePercent() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 2, 400, 2, Double.NaN, Timing.ofMillis(100, 100, 100),
                Map.of(2, Timing.ofMillis(52, 52, 52)), Map.of(2, Timing.ofMillis(56, 56, 56)), 0));
        assertEquals(List.of("2 workers measured 1.92x, more than 3% above the bare threads' 1.79x in the same"
                + " rounds: pmap cannot beat them by that much, so some runs were disturbed; run again on a quiet"
                + " machine"), r.warnings());
    }

    @Test
    void shouldCallASuperlinearSpeedupAnArtifactUnlessTheBareThreadsShowItToo() {
        Timing serial = Timing.ofMillis(100, 100, 100);
        SpeedupResult artifact = SpeedupResult.of(new Measurement("", 2, 400, 2, Double.NaN, serial,
                Map.of(2, Timing.ofMillis(46.5, 46.5, 46.5)), Map.of(2, Timing.ofMillis(50.8, 50.8, 50.8)), 0));
        assertTrue(artifact.warnings().contains("2 workers measured 2.15x, above linear, but the bare threads reached"
                + " only 1.97x: not a real superlinear speedup; the serial loop was slowed in some rounds; run again"
                + " on a quiet machine"), artifact.warnings().toString());
        assertTrue(artifact.warnings().stream().noneMatch(w -> w.startsWith("superlinear")), artifact.warnings().toString());
        SpeedupResult real = SpeedupResult.of(new Measurement("", 2, 400, 2, Double.NaN, serial,
                Map.of(2, Timing.ofMillis(46.5, 46.5, 46.5)), Map.of(2, Timing.ofMillis(46, 46, 46)), 0));
        assertTrue(real.warnings().contains("superlinear with 2 workers (2.15x), and the bare threads show it too"
                + " (2.17x): a real effect, such as the data fitting 2 cores' caches but not one's"),
                real.warnings().toString());
    }

    @Test
    void shouldNameTheJitAsTheCauseWhenOneWorkerAlreadyBeatsTheSerialLoop() {
        // Measured on this project's 2-core VM: 1 worker 1.05x, 2 workers 2.06x, bare threads 1.90x.
        SpeedupResult r = SpeedupResult.of(new Measurement("", 2, 400, 3, Double.NaN, Timing.ofMillis(893, 893, 893),
                Map.of(1, Timing.ofMillis(850.5, 850.5, 850.5), 2, Timing.ofMillis(433.5, 433.5, 433.5)),
                Map.of(2, Timing.ofMillis(470, 470, 470)), 0));
        assertTrue(r.warnings().contains("2 workers measured 2.06x, above linear, but the bare threads reached only"
                + " 1.90x: not a real superlinear speedup; pmap with 1 worker already ran 1.05x the serial loop's"
                + " speed: the JIT compiled f better inside pmap's loop than in the serial loop (it varies from JVM"
                + " to JVM), and that, not the cores, is the excess"), r.warnings().toString());
    }

    @Test
    void shouldWarnWhenTheSerialSpreadIsWiderThanEveryParallelRows() {
        SpeedupResult r = SpeedupResult.of(new Measurement("", 2, 400, 2, Double.NaN, Timing.ofMillis(120, 150, 160),
                Map.of(1, Timing.ofMillis(150, 151, 152), 2, Timing.ofMillis(76, 77, 78)),
                Map.of(2, Timing.ofMillis(75, 76, 77)), 0));
        assertTrue(r.warnings().contains("the serial loop's times spread by 27% of their median, more than any"
                + " parallel run's (3%): something slowed the baseline in some rounds, and every speedup carries"
                + " that error; run again"), r.warnings().toString());
    }

    @Test
    void shouldMeasureCoresBusyOnlyOnRunsOfFiftyMsOrMore() {
        Timing t = new Timing(List.of(100.0, 200.0, 40.0), List.of(190.0, 410.0, 80.0));
        assertEquals(1.975, t.coresBusy(), EPS); // median of 1.9 and 2.05; the 40 ms run is left out
        assertTrue(Double.isNaN(Timing.ofMillis(100).coresBusy()), "no CPU times");
        assertTrue(Double.isNaN(new Timing(List.of(10.0), List.of(10.0)).coresBusy()), "too short");
        assertEquals(0.2, Timing.ofMillis(90, 100, 110).spread(), EPS);
        assertEquals("cpuMs must be empty or hold one time per run (2), got 1", assertThrows(
                IllegalArgumentException.class, () -> new Timing(List.of(1.0, 2.0), List.of(1.0))).getMessage());
    }

    @Test
    void shouldRejectInvalidMeasurements() {
        Timing t = Timing.ofMillis(1);
        Map<Integer, Timing> one = Map.of(1, t);
        assertEquals("cores must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 0, 1, 0, Double.NaN, t, one)).getMessage());
        assertEquals("items must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 0, 0, Double.NaN, t, one)).getMessage());
        assertEquals("warmupRuns must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 1, -1, Double.NaN, t, one)).getMessage());
        assertEquals("otherLoad must be >= 0 or NaN, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 1, 0, -1, t, one)).getMessage());
        assertEquals("byWorkers must hold at least one worker count, got none",
                assertThrows(IllegalArgumentException.class, () -> new Measurement("", 1, 1, 0, Double.NaN, t, Map.of()))
                        .getMessage());
        assertEquals("worker counts must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 1, 0, Double.NaN, t, Map.of(0, t))).getMessage());
        assertEquals("label must not be null", assertThrows(NullPointerException.class,
                () -> new Measurement(null, 1, 1, 0, Double.NaN, t, one)).getMessage());
        assertEquals("samplesMs must hold at least one time, got none",
                assertThrows(IllegalArgumentException.class, Timing::ofMillis).getMessage());
        assertEquals("samplesMs must be finite and >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Timing.ofMillis(-1)).getMessage());
        assertEquals("samplesMs must be finite and >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Timing.ofMillis(Double.NaN)).getMessage());
        assertEquals("cores must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> sample().predictedSpeedup(0)).getMessage());
        assertEquals("rerunRounds must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 1, 0, Double.NaN, t, one, Map.of(), -1)).getMessage());
        assertEquals("thread counts must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Measurement("", 1, 1, 0, Double.NaN, t, one, Map.of(0, t), 0)).getMessage());
        assertEquals("measurement must not be null",
                assertThrows(NullPointerException.class, () -> SpeedupResult.of(null)).getMessage());
    }
}
