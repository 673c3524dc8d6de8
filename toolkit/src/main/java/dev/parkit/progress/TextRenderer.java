package dev.parkit.progress;

import java.util.Locale;

/**
 * Renders a {@link ProgressState} as one line of plain text, like tqdm's {@code format_meter}.
 *
 * <p>The result is a pure function of the state: no clock, no environment. It never contains a
 * line break or other control character (those in the label or detail become spaces), so a
 * terminal sink can redraw it in place with {@code '\r'}. Layouts, with {@code label: } left out
 * when the label is null or empty:
 *
 * <pre>
 * known total:    label: 37/100 [#######.............]  37% 12.3 it/s elapsed 0:03 eta 0:05
 * unknown total:  label: 37 it, 12.3 it/s, elapsed 0:03
 * final states:   the same without the eta, then " done", " FAILED" or " interrupted",
 *                 then ": " and the detail when there is one
 * running detail: any of the above, then " - " and the detail
 * parallel call:  while running, " | 2/2 busy, 1 failed" after the times
 * </pre>
 *
 * <p>The bar has {@value #BAR_WIDTH} cells and the percent is rounded down and never above 100,
 * even when {@code done > total}; a known total of 0 shows as complete. Rates are {@code it/s},
 * or {@code s/it} below one item per second; times are {@code m:ss} or {@code h:mm:ss}.
 */
public final class TextRenderer {

    /** Cells in the {@code [###...]} bar. */
    public static final int BAR_WIDTH = 20;

    private TextRenderer() {}

    /**
     * Renders one line, without a trailing line break.
     *
     * <pre>{@code
     * TextRenderer.render(new ProgressState("squares", 37, 100, 3_000_000_000L, Status.RUNNING, null))
     * // "squares: 37/100 [#######.............]  37% 12.3 it/s elapsed 0:03 eta 0:05"
     * }</pre>
     *
     * @param state what to render
     * @return the line
     * @throws NullPointerException if {@code state} is null
     */
    public static String render(ProgressState state) {
        StringBuilder line = new StringBuilder(96);
        if (Formats.hasLabel(state)) {
            line.append(oneLine(state.label())).append(": ");
        }
        if (state.isTotalKnown()) {
            int filled = Formats.filledCells(state, BAR_WIDTH);
            line.append(Formats.count(state))
                    .append(" [")
                    .append("#".repeat(filled))
                    .append(".".repeat(BAR_WIDTH - filled))
                    .append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", Formats.percent(state)))
                    .append(' ')
                    .append(Formats.rate(state))
                    .append(" elapsed ")
                    .append(Formats.elapsed(state));
            if (!state.isFinal()) {
                line.append(" eta ").append(Formats.eta(state));
            }
        } else {
            line.append(Formats.count(state))
                    .append(", ")
                    .append(Formats.rate(state))
                    .append(", elapsed ")
                    .append(Formats.elapsed(state));
        }
        if (state.workers() != null && !state.isFinal()) {
            line.append(" | ").append(Formats.workers(state.workers(), false));
        }
        if (state.isFinal()) {
            line.append(' ').append(outcome(state.status()));
        }
        if (state.detail() != null) {
            line.append(state.isFinal() ? ": " : " - ").append(oneLine(state.detail()));
        }
        return line.toString();
    }

    private static String outcome(ProgressState.Status status) {
        // FAILED shouts, as tqdm's red bar does; the other outcomes are routine.
        return status == ProgressState.Status.FAILED ? "FAILED" : Formats.statusWord(status);
    }

    /** Replaces control characters ('\r', '\n', '\t', ESC, ...) so the line stays one line. */
    private static String oneLine(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, ' ');
            }
        }
        return out == null ? s : out.toString();
    }
}
