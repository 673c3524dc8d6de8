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
     * Runs {@code f} again on the failed items only, on the shared pool, and merges: each retried
     * item that succeeds takes its place in the values, each that fails again stays a failure
     * with its original index, which every message about it names. Items whose input is unknown
     * (the source failed to produce them: {@link Failure.Origin#SOURCE}) are not run again: they
     * stay failures, with their original error.
     *
     * <pre>{@code
     * var r = pmapCollect(x -> fetch(x), urls);
     * r = r.retry(x -> fetch(x), options().workers(2).timeout(Duration.ofSeconds(30)));
     * }</pre>
     *
     * @param f the function, the same or a fixed one
     * @param options the options for the retry
     * @return a new result; this one is unchanged
     * @throws NullPointerException if an argument is null
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
     */
    public MapResult<T, R> retry(ParFunction<? super T, ? extends R> f, Options options) {
        java.util.Objects.requireNonNull(f, "f must not be null");
        java.util.Objects.requireNonNull(options, "options must not be null");
        List<Failure<T>> kept = new java.util.ArrayList<>();
        List<Failure<T>> retried = new java.util.ArrayList<>();
        for (Failure<T> fl : failures) {
            boolean inputKnown = fl.origin() != Failure.Origin.SOURCE && fl.index() < values.size();
            (inputKnown ? retried : kept).add(fl);
        }
        List<T> inputs = retried.stream().map(Failure::input).toList();
        MapResult<T, R> r = Par.pmapCollect(f, inputs, options);
        List<R> merged = new java.util.ArrayList<>(values);
        for (int i = 0; i < retried.size(); i++) {
            merged.set((int) retried.get(i).index(), r.values().get(i));
        }
        for (Failure<T> fl : r.failures()) { // indexed by position in inputs: moved back to the original index
            kept.add(fl.at(retried.get((int) fl.index()).index()));
        }
        kept.sort(java.util.Comparator.comparingLong(Failure::index));
        return new MapResult<>(merged, List.copyOf(kept));
    }

    /**
     * As {@link #retry(ParFunction, Options)}, with the default options.
     *
     * @param f the function, the same or a fixed one
     * @return a new result; this one is unchanged
     * @throws NullPointerException if {@code f} is null
     */
    public MapResult<T, R> retry(ParFunction<? super T, ? extends R> f) {
        return retry(f, Options.defaults());
    }

    /**
     * @return the values, when no item failed
     * @throws ParException for the first failed item, if any
     */
    public List<R> orThrow() {
        if (!failures.isEmpty()) {
            throw new ParException(failures.get(0));
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
            b.append("<table><thead><tr><th>index</th><th>input</th><th>error</th><th>where</th></tr></thead><tbody>");
            for (Failure<T> f : failures) {
                b.append("<tr><td style=\"text-align:right\">").append(f.index()).append("</td><td>")
                        .append(Text.html(Text.preview(f.input()))).append("</td><td style=\"color:#b00020\">")
                        .append(Text.html(Text.describe(f.error()))).append("</td><td><code>")
                        .append(Text.html(userFrame(f.error()))).append("</code></td></tr>");
            }
            b.append("</tbody></table>");
        }
        return b.append("</div>").toString();
    }

    private static final java.util.regex.Pattern PARKIT = java.util.regex.Pattern.compile(
            "dev\\.parkit\\.((internal|progress|display|speedup)\\.|(Par|Pool|Calls|CallProgress|MapResult)\\b)");

    /** The first stack frame of the user's code: not the JDK's, not ParKit's. */
    static String userFrame(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            String c = f.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("javax.")
                    || PARKIT.matcher(c).lookingAt())) {
                return f.toString();
            }
        }
        return "";
    }

    @Override
    public String toString() {
        return "MapResult[" + values.size() + " values, " + failures.size() + " failures"
                + (failures.isEmpty() ? "" : ": " + failures.get(0) + (failures.size() > 1 ? ", ..." : "")) + "]";
    }
}
