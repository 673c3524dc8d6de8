package dev.parkit.progress;

import dev.parkit.testing.RecordingDisplay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.progress.ProgressState.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    /** A clock that only moves when told to; starts at an arbitrary non-zero time. */
    private static final class FakeClock {
        private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

        long now() {
            return nanos.get();
        }

        void advanceMillis(long millis) {
            nanos.addAndGet(millis * 1_000_000L);
        }
    }

    private final FakeClock clock = new FakeClock();

    private ProgressBar bar(String label, long total, RecordingDisplay display) {
        return new ProgressBar(label, total, display, clock::now);
    }

    private static long count(RecordingDisplay display, String kind) {
        return display.calls().stream().filter(c -> c.kind().equals(kind)).count();
    }

    @Test
    void shouldShowTheBarOnceWhenCreated() {
        var display = RecordingDisplay.notebook();
        bar("job", 10, display);

        assertEquals(1, display.calls().size());
        var show = display.calls().get(0);
        assertEquals("SHOW", show.kind());
        var zero = new ProgressState("job", 0, 10, 0, Status.RUNNING, null);
        assertEquals(
                Map.of("text/html", HtmlRenderer.render(zero), "text/plain", TextRenderer.render(zero)),
                show.bundle());
    }

    @Test
    void shouldThrottleRefreshToOncePer100MillisOfClockTime() {
        var display = RecordingDisplay.notebook();
        var bar = bar("job", 1000, display);
        List<Long> drawnAt = new ArrayList<>();
        for (int ms = 1; ms <= 1000; ms++) {
            clock.advanceMillis(1);
            bar.step();
            int before = display.calls().size();
            bar.refresh();
            if (display.calls().size() > before) {
                drawnAt.add((long) ms);
            }
        }

        assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L), drawnAt);
        assertEquals(1, count(display, "SHOW"));
        assertEquals(10, count(display, "UPDATE"));
    }

    @Test
    void shouldNotDrawAgainWithinTheIntervalAfterAnyDrawing() {
        var display = RecordingDisplay.notebook();
        var bar = bar("job", 10, display);
        clock.advanceMillis(99);
        bar.refresh();
        assertEquals(1, display.calls().size());
        clock.advanceMillis(1);
        bar.refresh();
        bar.refresh();
        assertEquals(2, display.calls().size());
    }

    @Test
    void shouldDrawNowWhenForcedEvenWithinTheInterval() {
        var display = RecordingDisplay.notebook();
        var bar = bar("job", 10, display);
        bar.step(3);
        bar.refreshNow();
        assertEquals(2, display.calls().size());
        assertTrue(display.last().html().contains("data-done=\"3\""));
    }

    @Test
    void shouldForceTheFinalDrawingAndUpdateTheSameDisplayInPlace() {
        var display = RecordingDisplay.notebook();
        var bar = bar("job", 10, display);
        clock.advanceMillis(100);
        bar.step(4);
        bar.refresh();
        clock.advanceMillis(1);
        bar.step(6);
        bar.finish(Status.DONE, null);

        var calls = display.calls();
        assertEquals(List.of("SHOW", "UPDATE", "UPDATE"), calls.stream().map(c -> c.kind()).toList());
        assertTrue(calls.stream().allMatch(c -> c.id().equals("display-1")));
        var last = new ProgressState("job", 10, 10, 101_000_000L, Status.DONE, null);
        assertEquals(HtmlRenderer.render(last), display.last().html());
        assertEquals(TextRenderer.render(last), display.last().plain());
    }

    @Test
    void shouldPrintOneCarriageReturnUpdatedLineEndingWithNewlineInTerminal() {
        var display = RecordingDisplay.terminal();
        var bar = bar("job", 4, display);
        clock.advanceMillis(1000);
        bar.step();
        bar.refresh();
        clock.advanceMillis(50);
        bar.refresh(); // throttled: prints nothing
        clock.advanceMillis(950);
        bar.step(3);
        bar.finish(Status.DONE, null);

        assertEquals(
                "\rjob: 0/4 [....................]   0% ? it/s elapsed 0:00 eta ?"
                        + "\rjob: 1/4 [#####...............]  25% 1.00 it/s elapsed 0:01 eta 0:03"
                        // 4 spaces erase the end of the longer line before it
                        + "\rjob: 4/4 [####################] 100% 2.00 it/s elapsed 0:02 done    \n",
                display.printed());
        assertEquals(0, count(display, "SHOW") + count(display, "UPDATE"));
    }

    @Test
    void shouldPrintFailureDetailOnTheFinalTerminalLine() {
        var display = RecordingDisplay.terminal();
        var bar = bar(null, -1, display);
        clock.advanceMillis(2000);
        bar.step(2);
        bar.finish(Status.FAILED, "item 2 (0) failed: ArithmeticException: / by zero");

        assertEquals(
                "\r0 it, ? it/s, elapsed 0:00"
                        + "\r2 it, 1.00 it/s, elapsed 0:02 FAILED: "
                        + "item 2 (0) failed: ArithmeticException: / by zero\n",
                display.printed());
    }

    @Test
    void shouldCountEveryStepFromManyThreads() throws InterruptedException {
        var display = RecordingDisplay.notebook();
        var bar = bar("threads", 80_000, display);
        var start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    bar.step();
                }
            }, "stepper-" + t);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        // Meanwhile the owner refreshes, as the engine's cell thread does.
        while (threads.stream().anyMatch(Thread::isAlive)) {
            clock.advanceMillis(10);
            bar.refresh();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        bar.finish(Status.DONE, null);

        assertEquals(80_000, bar.count());
        assertEquals(80_000, bar.state().done());
        assertTrue(display.last().html().contains("data-status=\"done\" data-done=\"80000\""));
        assertTrue(display.last().plain().startsWith("threads: 80000/80000 ["));
    }

    @Test
    void shouldNotDrawWhenStepping() {
        var display = RecordingDisplay.terminal();
        var bar = bar("job", -1, display);
        clock.advanceMillis(1000);
        for (int i = 0; i < 1000; i++) {
            bar.step();
        }
        bar.step(5);
        bar.step(0);
        assertEquals(1, display.calls().size());
        assertEquals(1005, bar.count());
    }

    @Test
    void shouldFinishOnlyOnceAndFreezeTheFinalState() {
        var display = RecordingDisplay.notebook();
        var bar = bar("job", 10, display);
        bar.step(10);
        clock.advanceMillis(500);
        bar.finish(Status.DONE, null);
        var frozen = bar.state();

        clock.advanceMillis(5000);
        bar.step(); // still counted, no longer shown
        bar.refresh();
        bar.refreshNow();
        bar.finish(Status.FAILED, "too late");
        bar.close();

        assertEquals(2, display.calls().size());
        assertEquals(new ProgressState("job", 10, 10, 500_000_000L, Status.DONE, null), frozen);
        assertEquals(frozen, bar.state());
        assertTrue(bar.isFinished());
        assertEquals(11, bar.count());
    }

    @Test
    void shouldCloseAsDoneWhenCountReachedTotal() {
        var display = RecordingDisplay.notebook();
        try (var bar = bar("job", 3, display)) {
            bar.step(3);
        }
        assertTrue(display.last().html().contains("data-status=\"done\" data-done=\"3\""));
    }

    @Test
    void shouldCloseAsInterruptedWhenCountFallsShortOfTotal() {
        var display = RecordingDisplay.terminal();
        try (var bar = bar("job", 3, display)) {
            bar.step(2);
        }
        assertTrue(display.printed().endsWith(" interrupted\n"), display.printed());
    }

    @Test
    void shouldCloseAsDoneWhenTotalIsUnknown() {
        var display = RecordingDisplay.terminal();
        try (var bar = bar("job", -1, display)) {
            bar.step(2);
        }
        assertTrue(display.printed().endsWith("2 it, ? it/s, elapsed 0:00 done\n"),
                display.printed());
    }

    @Test
    void shouldReportRunningStateFromTheClock() {
        var bar = bar("job", 10, RecordingDisplay.terminal());
        bar.step(2);
        clock.advanceMillis(1500);
        assertEquals(new ProgressState("job", 2, 10, 1_500_000_000L, Status.RUNNING, null),
                bar.state());
        assertFalse(bar.isFinished());
        assertEquals(10, bar.total());
    }

    @Test
    void shouldRejectNullDisplayNamingIt() {
        var e = assertThrows(NullPointerException.class,
                () -> new ProgressBar("x", 1, null));
        assertEquals("display must not be null", e.getMessage());
        var e2 = assertThrows(NullPointerException.class,
                () -> new ProgressBar("x", 1, null, clock::now));
        assertEquals("display must not be null", e2.getMessage());
    }

    @Test
    void shouldRejectNullClockNamingIt() {
        var e = assertThrows(NullPointerException.class,
                () -> new ProgressBar("x", 1, RecordingDisplay.terminal(), null));
        assertEquals("clock must not be null", e.getMessage());
    }

    @Test
    void shouldRejectTotalBelowMinusOneNamingTheValue() {
        var display = RecordingDisplay.terminal();
        var e = assertThrows(IllegalArgumentException.class, () -> bar("x", -2, display));
        assertEquals(
                "total must be >= 0, or -1 (ProgressState.UNKNOWN_TOTAL) when unknown, got -2",
                e.getMessage());
        assertEquals(0, display.calls().size());
    }

    @Test
    void shouldRejectNegativeStepNamingTheValue() {
        var bar = bar("x", 1, RecordingDisplay.terminal());
        var e = assertThrows(IllegalArgumentException.class, () -> bar.step(-1));
        assertEquals("n must be >= 0, got -1", e.getMessage());
        assertEquals(0, bar.count());
    }

    @Test
    void shouldRejectFinishingAsRunningOrNull() {
        var bar = bar("x", 1, RecordingDisplay.terminal());
        var e = assertThrows(IllegalArgumentException.class, () -> bar.finish(Status.RUNNING, null));
        assertEquals("status must be DONE, FAILED or INTERRUPTED to finish, got RUNNING",
                e.getMessage());
        var e2 = assertThrows(NullPointerException.class, () -> bar.finish(null, null));
        assertEquals("status must not be null", e2.getMessage());
        assertFalse(bar.isFinished());
    }

    @Test
    void shouldKeepElapsedAtZeroWhenTheClockStepsBack() {
        var bar = bar("x", 1, RecordingDisplay.terminal());
        clock.advanceMillis(-1000);
        assertEquals(0, bar.state().elapsedNanos());
    }
}
