package dev.parkit.progress;

import dev.parkit.util.Text;

/**
 * Renders a {@link ProgressState} as a self-contained HTML snippet for a notebook's
 * {@code text/html} output.
 *
 * <p>The result is a pure function of the state. It uses only {@code div} and {@code span} with
 * inline {@code style} attributes, no scripts, no stylesheets and no external resources, and
 * every CSS property and value is one that JupyterLab's sanitizer keeps, so a notebook saved and
 * reopened untrusted still shows the same bar. The label and detail are HTML-escaped.
 *
 * <p>Machine-readable hooks, for tests and browser checks:
 * <ul>
 *   <li>the root is {@code <div class="parkit-progress parkit-STATUS" data-status="STATUS"
 *       data-done="N" data-total="N">} with STATUS one of {@code running}, {@code done},
 *       {@code failed}, {@code interrupted} and {@code data-total="-1"} when unknown. The
 *       {@code data-*} attributes are present in live output; an untrusted (reopened) notebook's
 *       sanitizer drops them but keeps the {@code class};
 *   <li>inside it, spans with the classes {@code parkit-label}, {@code parkit-bar},
 *       {@code parkit-fill}, {@code parkit-stats}, {@code parkit-outcome} and a
 *       {@code div.parkit-detail}.
 * </ul>
 *
 * <p>Looks: a {@value #BAR_WIDTH_PX} px bar filled to the (rounded down, at most 100) percent,
 * blue while running; diagonal stripes across the whole bar while running with an unknown total;
 * green once done, red when failed (with the detail in red below), orange when interrupted.
 */
public final class HtmlRenderer {

    /** Width of the bar in CSS pixels. */
    public static final int BAR_WIDTH_PX = 200;

    private static final String TRACK = "#e0e0e0";
    private static final String STRIPE_DARK = "#90caf9";
    private static final String STRIPE_LIGHT = "#e3f2fd";
    private static final int STRIPES = 10;

    private HtmlRenderer() {}

    /**
     * Renders the snippet: one root {@code div}, on one line.
     *
     * <pre>{@code
     * String html = HtmlRenderer.render(bar.state());
     * // <div class="parkit-progress parkit-running" data-status="running" data-done="37" ...
     * }</pre>
     *
     * @param state what to render
     * @return the HTML
     * @throws NullPointerException if {@code state} is null
     */
    public static String render(ProgressState state) {
        String status = Formats.statusWord(state.status());
        StringBuilder h = new StringBuilder(1024);
        h.append("<div class=\"parkit-progress parkit-").append(status)
                .append("\" data-status=\"").append(status)
                .append("\" data-done=\"").append(state.done())
                .append("\" data-total=\"").append(state.total())
                .append("\" style=\"font-family:monospace;font-size:13px;line-height:20px;"
                        + "margin:2px 0\">");
        if (Formats.hasLabel(state)) {
            h.append("<span class=\"parkit-label\" style=\"font-weight:bold;margin-right:8px\">")
                    .append(escape(state.label()))
                    .append("</span>");
        }
        h.append("<span class=\"parkit-bar\" style=\"display:inline-block;width:")
                .append(BAR_WIDTH_PX)
                .append("px;height:12px;vertical-align:middle;background-color:")
                .append(TRACK)
                .append(";border-radius:3px;overflow:hidden\">")
                .append("<span class=\"parkit-fill\" style=\"display:block;height:100%;")
                .append(fill(state))
                .append("\"></span></span>");
        h.append("<span class=\"parkit-stats\" style=\"margin-left:8px\">")
                .append(stats(state))
                .append("</span>");
        if (state.workers() != null) {
            ProgressState.Workers w = state.workers();
            h.append("<span class=\"parkit-workers\" data-busy=\"").append(w.busy())
                    .append("\" data-failed=\"").append(w.failed())
                    .append("\" style=\"margin-left:8px;color:#555\">workers ")
                    .append(escape(Formats.workers(w, true)))
                    .append("</span>");
        }
        if (state.isFinal()) {
            h.append("<span class=\"parkit-outcome\" style=\"margin-left:8px;font-weight:bold;"
                            + "color:")
                    .append(textColour(state.status()))
                    .append("\">")
                    .append(status)
                    .append("</span>");
        }
        if (state.detail() != null) {
            h.append("<div class=\"parkit-detail\" style=\"color:")
                    .append(textColour(state.status()))
                    .append(";white-space:pre-wrap\">")
                    .append(escape(state.detail()))
                    .append("</div>");
        }
        return h.append("</div>").toString();
    }

    /** The fill's width and colour: a percentage, or stripes while the size is unknown. */
    private static String fill(ProgressState state) {
        if (!state.isTotalKnown() && !state.isFinal()) {
            return "width:100%;background-image:" + stripes();
        }
        int width = state.isTotalKnown() ? Formats.percent(state) : 100;
        return "width:" + width + "%;background-color:" + barColour(state.status());
    }

    /**
     * Diagonal stripes as a plain {@code linear-gradient}: JupyterLab's sanitizer rejects
     * {@code repeating-linear-gradient} and two-value {@code background-size}, so the stripes are
     * spelled out as hard colour stops across the whole bar.
     */
    private static String stripes() {
        StringBuilder g = new StringBuilder("linear-gradient(135deg");
        for (int i = 0; i < STRIPES; i++) {
            String colour = i % 2 == 0 ? STRIPE_DARK : STRIPE_LIGHT;
            g.append(',').append(colour).append(' ').append(i * 100 / STRIPES).append('%');
            g.append(',').append(colour).append(' ').append((i + 1) * 100 / STRIPES).append('%');
        }
        return g.append(')').toString();
    }

    /** The same numbers as the text line, comma separated: count, percent, rate, times. */
    private static String stats(ProgressState state) {
        StringBuilder s = new StringBuilder(Formats.count(state));
        if (state.isTotalKnown()) {
            s.append(" (").append(Formats.percent(state)).append("%)");
        }
        s.append(", ").append(Formats.rate(state)).append(", elapsed ").append(Formats.elapsed(state));
        if (state.isTotalKnown() && !state.isFinal()) {
            s.append(", eta ").append(Formats.eta(state));
        }
        return s.toString();
    }

    private static String barColour(ProgressState.Status status) {
        return switch (status) {
            case RUNNING -> "#2196f3";
            case DONE -> "#43a047";
            case FAILED -> "#e53935";
            case INTERRUPTED -> "#fb8c00";
        };
    }

    private static String textColour(ProgressState.Status status) {
        return switch (status) {
            case RUNNING -> "#616161";
            case DONE -> "#2e7d32";
            case FAILED -> "#c62828";
            case INTERRUPTED -> "#e65100";
        };
    }

    /** Escapes the five characters that matter in HTML text and attribute values. */
    static String escape(String s) {
        return Text.html(s);
    }
}
