package dev.parkit.speedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.Par;
import dev.parkit.ParException;
import dev.parkit.display.Displays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Real measurements of tiny functions: what runs and what is checked, never how fast. */
class SpeedupRunTest {

    @AfterAll
    static void stopPools() {
        Par.shutdown();
    }

    private static Speedup quiet(Speedup s) {
        return s.progress(false);
    }

    @Test
    void shouldTimeEveryWorkerCountWithTheGivenRepetitions() {
        SpeedupResult r = quiet(Speedup.of((Integer x) -> x * x, Par.range(50)))
                .workers(3, 1, 2, 3).warmup(1).repetitions(4).label("squares").run();
        Measurement m = r.measurement();
        assertEquals(List.of(1, 2, 3), List.copyOf(m.byWorkers().keySet()));
        assertEquals(4, m.serial().runs());
        m.byWorkers().values().forEach(t -> assertEquals(4, t.runs()));
        assertEquals(50, m.items());
        assertEquals(1, m.warmupRuns());
        assertEquals("squares", m.label());
        assertEquals(Runtime.getRuntime().availableProcessors(), r.cores());
        assertEquals(List.of(1, 2, 3), r.rows().stream().map(SpeedupRow::workers).toList());
        assertEquals("serial loop", r.table().stringColumn("run").get(0));
    }

    @Test
    void shouldCallTheFunctionOnceForEveryItemOfEveryRun() {
        AtomicInteger calls = new AtomicInteger();
        SpeedupResult r = quiet(Speedup.of((Integer x) -> calls.incrementAndGet() * 0 + x, Par.range(10)))
                .workers(1, 2).warmup(2).repetitions(3).run();
        // reference + (2 warm-up + 3 timed + rounds run again) x (serial + 2 worker counts
        // + bare threads at 2 where there are 2 cores), 10 items each
        int configs = 3 + (cores() >= 2 ? 1 : 0);
        assertEquals(10 * (1 + (5 + r.measurement().rerunRounds()) * configs), calls.get());
        assertTrue(r.measurement().rerunRounds() <= 3, "at most one rerun per timed round");
    }

    @Test
    void shouldTimeBareThreadsFromTwoToTheCores() {
        SpeedupResult r = quiet(Speedup.of((Integer x) -> x + 1, Par.range(30)))
                .workers(1, 2, cores(), 2 * cores()).warmup(0).repetitions(2).run();
        List<Integer> expected = cores() >= 2 ? List.copyOf(new java.util.TreeSet<>(List.of(2, cores()))) : List.of();
        assertEquals(expected, List.copyOf(r.measurement().threads().keySet()));
        r.measurement().threads().values().forEach(t -> assertEquals(2, t.runs()));
        assertEquals(1.0, r.serialRow().speedup());
    }

    @Test
    void shouldRunTheSerialLoopOnAFreshThreadOfItsOwn() {
        Thread caller = Thread.currentThread();
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        quiet(Speedup.of((Integer x) -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("ran on the caller");
            }
            // Not tiny (over 100 us), so pmap never runs these items on its calling thread either.
            for (long end = System.nanoTime() + 300_000; System.nanoTime() < end; ) {
                Thread.onSpinWait();
            }
            seen.add(Thread.currentThread().getName());
            return x;
        }, Par.range(4))).workers(2).warmup(0).repetitions(1).run();
        assertTrue(seen.contains(SerialAndThreads.SERIAL_THREAD), seen.toString());
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static boolean serialThread() {
        return Thread.currentThread().getName().equals(SerialAndThreads.SERIAL_THREAD);
    }

    @Test
    void shouldAcceptEqualArraysAndBitIdenticalDoubles() {
        // Arrays are compared by content, so fresh but equal arrays pass.
        SpeedupResult r = quiet(Speedup.of((Integer x) -> new double[] {Math.sqrt(x), -0.0}, Par.range(20)))
                .workers(2).warmup(0).repetitions(1).run();
        assertEquals(List.of(2), r.rows().stream().map(SpeedupRow::workers).toList());
    }

    @Test
    void shouldTellZeroFromNegativeZero() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> serialThread() ? 0.0 : -0.0, Par.range(2)))
                        .workers(2).warmup(0).repetitions(1).run());
        assertTrue(e.getMessage().contains("at index 0 (item 0): the serial loop gave 0.0, this run gave -0.0."),
                e.getMessage());
    }

    @Test
    void shouldFailNamingWorkersAndIndexWhenResultsDiffer() {
        // Same result as the serial loop except for item 3 when run on another thread.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> x == 3 && !serialThread() ? -1 : x,
                        Par.range(8))).workers(2).warmup(1).repetitions(1).run());
        assertTrue(e.getMessage().startsWith("results with 2 workers differ from the serial loop's"
                + " (warm-up run 1 of 1) at index 3 (item 3): the serial loop gave 3, this run gave -1."),
                e.getMessage());
        assertTrue(e.getMessage().contains("deterministic"), e.getMessage());
    }

    @Test
    void shouldDetectThreadDependentResults() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> Thread.currentThread().getName(), Par.range(4)))
                        .workers(1).warmup(0).repetitions(1).run());
        assertTrue(e.getMessage().startsWith("results with 1 worker differ from the serial loop's (timed run 1 of 1)"
                + " at index 0 (item 0): the serial loop gave \"" + SerialAndThreads.SERIAL_THREAD + "\""),
                e.getMessage());
    }

    @Test
    void shouldDetectAFunctionThatIsNotDeterministicEvenSerially() {
        AtomicInteger counter = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> counter.incrementAndGet(), Par.range(4)))
                        .workers(1).warmup(1).repetitions(1).run());
        assertTrue(e.getMessage().startsWith("the serial loop's results differ between runs (warm-up run 1 of 1)"
                + " at index 0"), e.getMessage());
    }

    @Test
    void shouldReportAFailingItemOfTheSerialLoop() {
        RuntimeException boom = new RuntimeException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> {
                    if (x == 2) {
                        throw boom;
                    }
                    return x;
                }, Par.range(4))).run());
        assertEquals("f failed on item 2 (2) in the serial loop: java.lang.RuntimeException: boom", e.getMessage());
        assertSame(boom, e.getCause());
    }

    @Test
    void shouldReportAFailingItemOfTheBareThreads() {
        org.junit.jupiter.api.Assumptions.assumeTrue(cores() >= 2, "bare threads need 2 cores");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> quiet(Speedup.of((Integer x) -> {
                    if (x == 3 && Thread.currentThread().getName().startsWith(SerialAndThreads.THREAD_PREFIX)) {
                        throw new IllegalArgumentException("only in bare threads");
                    }
                    return x;
                }, Par.range(6))).workers(2).warmup(0).repetitions(1).run());
        assertEquals("f failed on item 3 (3) in 2 bare threads: java.lang.IllegalArgumentException: only in bare threads",
                e.getMessage());
    }

    @Test
    void shouldReportAFailingItemOfAParallelRun() {
        ParException e = assertThrows(ParException.class,
                () -> quiet(Speedup.of((Integer x) -> {
                    if (x == 1 && !serialThread()) {
                        throw new IllegalStateException("only in parallel");
                    }
                    return x;
                }, Par.range(4))).workers(2).warmup(0).repetitions(1).run());
        assertEquals(1, e.index());
    }

    @Test
    void shouldWarnWhenThereAreFewerItemsThanWorkers() {
        SpeedupResult r = quiet(Speedup.of((Integer x) -> x, Par.range(2))).workers(1, 2, 4).warmup(0)
                .repetitions(1).run();
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("only 2 items for 4 workers")),
                r.warnings().toString());
    }

    @Test
    void shouldShowProgressUntilDone() {
        Recorder terminal = new Recorder(false);
        try (Displays.Scope s = Displays.use(terminal)) {
            Speedup.of((Integer x) -> x, Par.range(5)).workers(1, 2).warmup(1).repetitions(2).label("ids").run();
        }
        String printed = terminal.printed();
        // reference + (1 warm-up + 2 timed) x (serial + 2 worker counts + bare threads at 2), rounds
        // run again not counted twice
        int runs = 1 + 3 * (3 + (cores() >= 2 ? 1 : 0));
        assertTrue(printed.startsWith("\rspeedup: ids: 0/" + runs + " "), printed);
        assertTrue(printed.matches("(?s).*\rspeedup: ids: " + runs + "/" + runs + " [^\r]* done *\n"), printed);
    }

    @Test
    void shouldShowFailureOnTheProgressBar() {
        Recorder terminal = new Recorder(false);
        try (Displays.Scope s = Displays.use(terminal)) {
            assertThrows(IllegalStateException.class, () -> Speedup.of((Integer x) -> Thread.currentThread().getName(),
                    Par.range(3)).workers(1).warmup(0).repetitions(1).run());
        }
        String printed = terminal.printed();
        assertTrue(printed.contains(" FAILED: results with 1 worker differ"), printed);
        assertTrue(printed.endsWith("\n"), printed);
    }

    @Test
    void shouldUseQuickDefaultsWhenAsked() {
        String before = System.getProperty("parkit.quick");
        System.setProperty("parkit.quick", "true");
        try {
            SpeedupResult r = quiet(Speedup.of((Integer x) -> x, Par.range(4))).workers(1).run();
            assertEquals(Speedup.QUICK_REPETITIONS, r.measurement().serial().runs());
            assertEquals(Speedup.QUICK_WARMUP, r.measurement().warmupRuns());
            SpeedupResult explicit = quiet(Speedup.of((Integer x) -> x, Par.range(4))).workers(1)
                    .warmup(0).repetitions(2).run();
            assertEquals(2, explicit.measurement().serial().runs());
            assertEquals(0, explicit.measurement().warmupRuns());
        } finally {
            if (before == null) {
                System.clearProperty("parkit.quick");
            } else {
                System.setProperty("parkit.quick", before);
            }
        }
    }

    @Test
    void shouldDefaultToPowersOfTwoUpToTwiceTheCoresAndTheCores() {
        assertArrayEquals(new int[] {1, 2}, Speedup.defaultWorkers(1));
        assertArrayEquals(new int[] {1, 2, 4}, Speedup.defaultWorkers(2));
        assertArrayEquals(new int[] {1, 2, 4, 8}, Speedup.defaultWorkers(4));
        assertArrayEquals(new int[] {1, 2, 4, 6, 8, 12}, Speedup.defaultWorkers(6));
    }

    @Test
    void shouldRejectInvalidArgumentsNamingThem() {
        Speedup ok = Speedup.of((Integer x) -> x, Par.range(3));
        assertEquals("f must not be null", assertThrows(NullPointerException.class,
                () -> Speedup.of(null, Par.range(3))).getMessage());
        assertEquals("xs must not be null", assertThrows(NullPointerException.class,
                () -> Speedup.of((Integer x) -> x, null)).getMessage());
        assertEquals("xs must hold at least one item, got none", assertThrows(IllegalArgumentException.class,
                () -> Speedup.of((Integer x) -> x, List.of())).getMessage());
        assertEquals("worker counts must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> ok.workers(1, 0)).getMessage());
        assertEquals("workers needs at least one worker count, got none",
                assertThrows(IllegalArgumentException.class, () -> ok.workers()).getMessage());
        assertEquals("counts must not be null", assertThrows(NullPointerException.class,
                () -> ok.workers((int[]) null)).getMessage());
        assertEquals("repetitions must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> ok.repetitions(0)).getMessage());
        assertEquals("warmup must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> ok.warmup(-1)).getMessage());
        assertEquals("label must not be null", assertThrows(NullPointerException.class,
                () -> ok.label(null)).getMessage());
    }

    @Test
    void shouldDescribeTheBuilder() {
        assertEquals("Speedup[\"sq\", 3 items, workers=[1, 4], warmup=default, repetitions=2]",
                Speedup.of((Integer x) -> x, Par.range(3)).workers(4, 1).repetitions(2).label("sq").toString());
    }
}
