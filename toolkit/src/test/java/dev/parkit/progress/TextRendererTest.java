package dev.parkit.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parkit.progress.ProgressState.Status;
import org.junit.jupiter.api.Test;

class TextRendererTest {

    private static final long SECOND = 1_000_000_000L;

    private static String render(String label, long done, long total, long elapsedNanos,
            Status status, String detail) {
        return TextRenderer.render(
                new ProgressState(label, done, total, elapsedNanos, status, detail));
    }

    @Test
    void shouldRenderKnownTotalLikeFormatMeter() {
        assertEquals(
                "label: 37/100 [#######.............]  37% 12.3 it/s elapsed 0:03 eta 0:05",
                render("label", 37, 100, 3 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldShowWhatTheWorkersDoWhileRunning() {
        var workers = new ProgressState.Workers(2, 2, java.util.List.of(19L, 18L), 1);
        assertEquals("label: 37/100 [#######.............]  37% 12.3 it/s elapsed 0:03 eta 0:05"
                        + " | 2/2 busy, 1 failed",
                TextRenderer.render(new ProgressState("label", 37, 100, 3 * SECOND, Status.RUNNING, null, workers)));
        assertEquals("label: 100/100 [####################] 100% 33.3 it/s elapsed 0:03 done",
                TextRenderer.render(new ProgressState("label", 100, 100, 3 * SECOND, Status.DONE, null, workers)));
    }

    @Test
    void shouldSumUpWorkersBeyondEight() {
        var many = new ProgressState.Workers(9, 10, java.util.List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), 0);
        assertEquals("9/10 busy, done 1+2+3+4+5+6+7+8+19 (2 more)", Formats.workers(many, true));
    }

    @Test
    void shouldRenderUnknownTotalWithoutBarOrEta() {
        assertEquals(
                "label: 37 it, 12.3 it/s, elapsed 0:03",
                render("label", 37, -1, 3 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldOmitPrefixWhenLabelIsNullOrEmpty() {
        String expected = "1/4 [#####...............]  25% 1.00 it/s elapsed 0:01 eta 0:03";
        assertEquals(expected, render(null, 1, 4, SECOND, Status.RUNNING, null));
        assertEquals(expected, render("", 1, 4, SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldShowUnknownRateAndEtaBeforeFirstItem() {
        assertEquals(
                "job: 0/100 [....................]   0% ? it/s elapsed 0:01 eta ?",
                render("job", 0, 100, SECOND, Status.RUNNING, null));
        assertEquals(
                "job: 0 it, ? it/s, elapsed 0:00",
                render("job", 0, -1, 0, Status.RUNNING, null));
    }

    @Test
    void shouldShowZeroTotalAsComplete() {
        assertEquals(
                "empty: 0/0 [####################] 100% ? it/s elapsed 0:00 eta 0:00",
                render("empty", 0, 0, 0, Status.RUNNING, null));
        assertEquals(
                "empty: 0/0 [####################] 100% ? it/s elapsed 0:00 done",
                render("empty", 0, 0, 0, Status.DONE, null));
    }

    @Test
    void shouldNeverShowMoreThanHundredPercentWhenDoneExceedsTotal() {
        assertEquals(
                "over: 105/100 [####################] 100% 35.0 it/s elapsed 0:03 eta 0:00",
                render("over", 105, 100, 3 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldRoundPercentAndBarDownSoUnfinishedNeverLooksFinished() {
        assertEquals(
                "x: 999/1000 [###################.]  99% 999 it/s elapsed 0:01 eta 0:00",
                render("x", 999, 1000, SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldShowSecondsPerItemWhenSlowerThanOneItemPerSecond() {
        assertEquals(
                "slow: 2/10 [####................]  20% 2.50 s/it elapsed 0:05 eta 0:20",
                render("slow", 2, 10, 5 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldKeepAboutThreeSignificantDigitsInRates() {
        assertEquals("n: 5 it, 5.00 it/s, elapsed 0:01", render("n", 5, -1, SECOND, Status.RUNNING, null));
        assertEquals("n: 50 it, 50.0 it/s, elapsed 0:01", render("n", 50, -1, SECOND, Status.RUNNING, null));
        assertEquals("n: 1234 it, 1234 it/s, elapsed 0:01",
                render("n", 1234, -1, SECOND, Status.RUNNING, null));
        // 9.996 it/s would print as "10.00" with two decimals; it must switch to one.
        assertEquals("n: 9996 it, 10.0 it/s, elapsed 16:40",
                render("n", 9996, -1, 1000 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldFormatTimesAsMinutesSecondsOrHoursMinutesSeconds() {
        assertEquals(
                "long: 1 it, 3725 s/it, elapsed 1:02:05",
                render("long", 1, -1, 3725 * SECOND, Status.RUNNING, null));
        assertEquals(
                "short: 2 it, 1.00 it/s, elapsed 0:01",
                render("short", 2, -1, 2 * SECOND - 1, Status.RUNNING, null));
        assertEquals(
                "long: 10/20 [##########..........]  50% 59.9 s/it elapsed 9:59 eta 9:59",
                render("long", 10, 20, 599 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldEndDoneStateWithDoneInsteadOfEta() {
        assertEquals(
                "label: 100/100 [####################] 100% 33.3 it/s elapsed 0:03 done",
                render("label", 100, 100, 3 * SECOND, Status.DONE, null));
        assertEquals(
                "label: 37 it, 12.3 it/s, elapsed 0:03 done",
                render("label", 37, -1, 3 * SECOND, Status.DONE, null));
    }

    @Test
    void shouldShowFailedStateWithDetail() {
        assertEquals(
                "label: 17/100 [###.................]  17% 5.67 it/s elapsed 0:03 FAILED: "
                        + "item 17 (42) failed: ArithmeticException: / by zero",
                render("label", 17, 100, 3 * SECOND, Status.FAILED,
                        "item 17 (42) failed: ArithmeticException: / by zero"));
        assertEquals(
                "label: 17 it, 5.67 it/s, elapsed 0:03 FAILED",
                render("label", 17, -1, 3 * SECOND, Status.FAILED, null));
    }

    @Test
    void shouldShowInterruptedState() {
        assertEquals(
                "label: 37/100 [#######.............]  37% 12.3 it/s elapsed 0:03 interrupted",
                render("label", 37, 100, 3 * SECOND, Status.INTERRUPTED, null));
        assertEquals(
                "label: 37 it, 12.3 it/s, elapsed 0:03 interrupted: at item 37 (\"x\")",
                render("label", 37, -1, 3 * SECOND, Status.INTERRUPTED, "at item 37 (\"x\")"));
    }

    @Test
    void shouldShowRunningDetailAfterDash() {
        assertEquals(
                "label: 3 it, 1.00 it/s, elapsed 0:03 - warming up",
                render("label", 3, -1, 3 * SECOND, Status.RUNNING, "warming up"));
    }

    @Test
    void shouldStayOnOneLineWhenLabelOrDetailHasControlCharacters() {
        assertEquals(
                "a b c: 1 it, 1.00 it/s, elapsed 0:01 FAILED: x y z",
                render("a\nb\rc", 1, -1, SECOND, Status.FAILED, "x\ny\tz"));
    }

    @Test
    void shouldLeaveHtmlSpecialCharactersAloneInPlainText() {
        assertEquals(
                "<b>&</b>: 1 it, 1.00 it/s, elapsed 0:01",
                render("<b>&</b>", 1, -1, SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldRejectNullState() {
        assertThrows(NullPointerException.class, () -> TextRenderer.render(null));
    }
}
