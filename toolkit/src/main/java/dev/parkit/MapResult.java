package dev.parkit;

import dev.parkit.internal.Text;
import java.util.List;

/**
 * What {@link Par#pmapCollect} returns: every result, and every failure instead of the first.
 *
 * @param values the results in input order, null where the item failed
 * @param failures the failed items, by index; empty when all succeeded
 * @param <T> the input type
 * @param <R> the result type
 */
public record MapResult<T, R>(List<R> values, List<Failure<T>> failures) {

    /** @return true when no item failed */
    public boolean ok() {
        return failures.isEmpty();
    }

    /**
     * @return the values, when no item failed
     * @throws ParException for the first failed item, if any
     */
    public List<R> orThrow() {
        if (!failures.isEmpty()) {
            throw new ParException(failures.get(0), "failed");
        }
        return values;
    }

    /**
     * An HTML view for notebooks: a summary line and a table of the failures (index, input, error).
     *
     * @return an HTML fragment, values escaped
     */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<div class=\"parkit-result\"><p><b>")
                .append(values.size()).append(" values, ").append(failures.size()).append(" failures</b></p>");
        if (!failures.isEmpty()) {
            b.append("<table><thead><tr><th>index</th><th>input</th><th>error</th></tr></thead><tbody>");
            for (Failure<T> f : failures) {
                b.append("<tr><td style=\"text-align:right\">").append(f.index()).append("</td><td>")
                        .append(Text.html(Text.preview(f.input()))).append("</td><td style=\"color:#b00020\">")
                        .append(Text.html(Text.describe(f.error()))).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        return b.append("</div>").toString();
    }

    @Override
    public String toString() {
        return "MapResult[" + values.size() + " values, " + failures.size() + " failures"
                + (failures.isEmpty() ? "" : ": " + failures.get(0) + (failures.size() > 1 ? ", ..." : "")) + "]";
    }
}
