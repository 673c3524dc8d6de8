package dev.parkit.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.progress.ProgressState.Status;
import org.junit.jupiter.api.Test;

class HtmlRendererTest {

    private static final long SECOND = 1_000_000_000L;

    // The fixed parts of every snippet, spelled out once so each test reads as the full string.
    private static final String ROOT_STYLE =
            " style=\"font-family:monospace;font-size:13px;line-height:20px;margin:2px 0\">";
    private static final String BAR_OPEN =
            "<span class=\"parkit-bar\" style=\"display:inline-block;width:200px;height:12px;"
                    + "vertical-align:middle;background-color:#e0e0e0;border-radius:3px;"
                    + "overflow:hidden\"><span class=\"parkit-fill\" style=\"display:block;"
                    + "height:100%;";
    private static final String BAR_CLOSE = "\"></span></span>";
    private static final String STATS_OPEN =
            "<span class=\"parkit-stats\" style=\"margin-left:8px\">";

    private static String render(String label, long done, long total, long elapsedNanos,
            Status status, String detail) {
        return HtmlRenderer.render(
                new ProgressState(label, done, total, elapsedNanos, status, detail));
    }

    private static String label(String escaped) {
        return "<span class=\"parkit-label\" style=\"font-weight:bold;margin-right:8px\">"
                + escaped + "</span>";
    }

    @Test
    void shouldRenderRunningKnownTotalAsBlueBarWithHooks() {
        assertEquals(
                "<div class=\"parkit-progress parkit-running\" data-status=\"running\""
                        + " data-done=\"37\" data-total=\"100\"" + ROOT_STYLE
                        + label("label")
                        + BAR_OPEN + "width:37%;background-color:#2196f3" + BAR_CLOSE
                        + STATS_OPEN + "37/100 (37%), 12.3 it/s, elapsed 0:03, eta 0:05</span>"
                        + "</div>",
                render("label", 37, 100, 3 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldRenderUnknownTotalAsStripedBarWithoutPercentOrEta() {
        assertEquals(
                "<div class=\"parkit-progress parkit-running\" data-status=\"running\""
                        + " data-done=\"37\" data-total=\"-1\"" + ROOT_STYLE
                        + label("label")
                        + BAR_OPEN + "width:100%;background-image:linear-gradient(135deg,"
                        + "#90caf9 0%,#90caf9 10%,#e3f2fd 10%,#e3f2fd 20%,"
                        + "#90caf9 20%,#90caf9 30%,#e3f2fd 30%,#e3f2fd 40%,"
                        + "#90caf9 40%,#90caf9 50%,#e3f2fd 50%,#e3f2fd 60%,"
                        + "#90caf9 60%,#90caf9 70%,#e3f2fd 70%,#e3f2fd 80%,"
                        + "#90caf9 80%,#90caf9 90%,#e3f2fd 90%,#e3f2fd 100%)" + BAR_CLOSE
                        + STATS_OPEN + "37 it, 12.3 it/s, elapsed 0:03</span>"
                        + "</div>",
                render("label", 37, -1, 3 * SECOND, Status.RUNNING, null));
    }

    @Test
    void shouldRenderDoneAsFullGreenBar() {
        assertEquals(
                "<div class=\"parkit-progress parkit-done\" data-status=\"done\""
                        + " data-done=\"100\" data-total=\"100\"" + ROOT_STYLE
                        + label("label")
                        + BAR_OPEN + "width:100%;background-color:#43a047" + BAR_CLOSE
                        + STATS_OPEN + "100/100 (100%), 33.3 it/s, elapsed 0:03</span>"
                        + "<span class=\"parkit-outcome\" style=\"margin-left:8px;"
                        + "font-weight:bold;color:#2e7d32\">done</span>"
                        + "</div>",
                render("label", 100, 100, 3 * SECOND, Status.DONE, null));
    }

    @Test
    void shouldRenderDoneWithUnknownTotalAsSolidGreenBar() {
        assertEquals(
                "<div class=\"parkit-progress parkit-done\" data-status=\"done\""
                        + " data-done=\"37\" data-total=\"-1\"" + ROOT_STYLE
                        + BAR_OPEN + "width:100%;background-color:#43a047" + BAR_CLOSE
                        + STATS_OPEN + "37 it, 12.3 it/s, elapsed 0:03</span>"
                        + "<span class=\"parkit-outcome\" style=\"margin-left:8px;"
                        + "font-weight:bold;color:#2e7d32\">done</span>"
                        + "</div>",
                render(null, 37, -1, 3 * SECOND, Status.DONE, null));
    }

    @Test
    void shouldRenderFailedAsRedBarStoppedWhereItFailedWithEscapedDetail() {
        assertEquals(
                "<div class=\"parkit-progress parkit-failed\" data-status=\"failed\""
                        + " data-done=\"17\" data-total=\"100\"" + ROOT_STYLE
                        + label("label")
                        + BAR_OPEN + "width:17%;background-color:#e53935" + BAR_CLOSE
                        + STATS_OPEN + "17/100 (17%), 5.67 it/s, elapsed 0:03</span>"
                        + "<span class=\"parkit-outcome\" style=\"margin-left:8px;"
                        + "font-weight:bold;color:#c62828\">failed</span>"
                        + "<div class=\"parkit-detail\" style=\"color:#c62828;"
                        + "white-space:pre-wrap\">item 17 (&quot;&lt;b&gt;&quot;) failed: "
                        + "IllegalStateException: a &amp; b</div>"
                        + "</div>",
                render("label", 17, 100, 3 * SECOND, Status.FAILED,
                        "item 17 (\"<b>\") failed: IllegalStateException: a & b"));
    }

    @Test
    void shouldRenderInterruptedAsOrangeBar() {
        assertEquals(
                "<div class=\"parkit-progress parkit-interrupted\" data-status=\"interrupted\""
                        + " data-done=\"37\" data-total=\"100\"" + ROOT_STYLE
                        + label("label")
                        + BAR_OPEN + "width:37%;background-color:#fb8c00" + BAR_CLOSE
                        + STATS_OPEN + "37/100 (37%), 12.3 it/s, elapsed 0:03</span>"
                        + "<span class=\"parkit-outcome\" style=\"margin-left:8px;"
                        + "font-weight:bold;color:#e65100\">interrupted</span>"
                        + "</div>",
                render("label", 37, 100, 3 * SECOND, Status.INTERRUPTED, null));
    }

    @Test
    void shouldEscapeScriptInLabel() {
        String html = render("<script>alert('x\"y')</script> & co", 1, 2, SECOND,
                Status.RUNNING, null);
        assertTrue(html.contains(
                label("&lt;script&gt;alert(&#39;x&quot;y&#39;)&lt;/script&gt; &amp; co")), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void shouldEscapeScriptInDetail() {
        String html = render("x", 1, 2, SECOND, Status.FAILED, "<script>alert(1)</script>");
        assertTrue(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</div>"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void shouldShowZeroTotalAsComplete() {
        assertEquals(
                "<div class=\"parkit-progress parkit-running\" data-status=\"running\""
                        + " data-done=\"0\" data-total=\"0\"" + ROOT_STYLE
                        + BAR_OPEN + "width:100%;background-color:#2196f3" + BAR_CLOSE
                        + STATS_OPEN + "0/0 (100%), ? it/s, elapsed 0:00, eta 0:00</span>"
                        + "</div>",
                render(null, 0, 0, 0, Status.RUNNING, null));
    }

    @Test
    void shouldNeverShowMoreThanHundredPercentWhenDoneExceedsTotal() {
        String html = render("x", 250, 100, SECOND, Status.RUNNING, null);
        assertTrue(html.contains("width:100%;background-color:#2196f3"), html);
        assertTrue(html.contains(">250/100 (100%), 250 it/s, elapsed 0:01, eta 0:00<"), html);
        assertTrue(html.contains("data-done=\"250\" data-total=\"100\""), html);
    }

    @Test
    void shouldUseOnlyDivsAndSpansWithoutScriptsOrEventHandlers() {
        for (Status status : Status.values()) {
            String html = render("l", 3, 10, SECOND, status, "d");
            String tags = html.replaceAll("</?(div|span)( [^>]*)?>", "");
            assertFalse(tags.contains("<"), "unexpected tag in " + html);
            assertFalse(html.contains("script") || html.contains(" on"), html);
        }
    }

    @Test
    void shouldRejectNullState() {
        assertThrows(NullPointerException.class, () -> HtmlRenderer.render(null));
    }

    @Test
    void shouldShowTheWorkersWithHooksForTests() {
        var workers = new ProgressState.Workers(1, 2, java.util.List.of(3L, 4L), 2);
        String html = HtmlRenderer.render(new ProgressState("w", 7, 10, 1_000_000_000L,
                ProgressState.Status.RUNNING, null, workers));
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("<span class=\"parkit-workers\" data-busy=\"1\""
                + " data-failed=\"2\" style=\"margin-left:8px;color:#555\">workers 1/2 busy, done 3+4, 2 failed</span>"),
                html);
    }
}
