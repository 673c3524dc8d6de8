package dev.parkit;

import dev.parkit.util.Text;
import java.util.List;

/**
 * What {@link Mapper#pmapCollect} returns: every result, and every failure instead of the first.
 * It remembers where it was computed, so that {@link #retry} runs there again: on the shared
 * pools, the {@link Pool} or the cluster of the call.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
public final class MapResult<T, R> {
    private final List<R> values;
    private final List<Failure<T>> failures;
    private final Mapper mapper;

    /**
     * A result whose {@link #retry} runs on the shared pools.
     *
     * @param values the results in input order, null where the item failed
     * @param failures the failed items, by index; empty when all succeeded
     */
    public MapResult(List<R> values, List<Failure<T>> failures) {
        this(values, failures, Par.shared());
    }

    /**
     * @param values the results in input order, null where the item failed
     * @param failures the failed items, by index; empty when all succeeded
     * @param mapper where the call ran, and where {@link #retry} runs the failed items again
     */
    public MapResult(List<R> values, List<Failure<T>> failures, Mapper mapper) {
        this.values = java.util.Objects.requireNonNull(values, "values must not be null");
        this.failures = java.util.Objects.requireNonNull(failures, "failures must not be null");
        this.mapper = java.util.Objects.requireNonNull(mapper, "mapper must not be null");
    }

    /** @return the results in input order, null where the item failed */
    public List<R> values() {
        return values;
    }

    /** @return the failed items, by index; empty when all succeeded */
    public List<Failure<T>> failures() {
        return failures;
    }

    /** @return where the call ran, and where {@link #retry} runs */
    public Mapper mapper() {
        return mapper;
    }

    /** @return true when no item failed */
    public boolean ok() {
        return failures.isEmpty();
    }

    /**
     * Runs {@code f} again on the failed items only, where the call ran ({@link #mapper()}), and merges: each retried
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
     * @throws IllegalStateException if the call ran on a {@link Pool} that is closed now (to retry
     *     elsewhere: {@code new MapResult<>(r.values(), r.failures(), Par.shared()).retry(f)})
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
        MapResult<T, R> r = mapper.pmapCollect(f, inputs, options);
        List<R> merged = new java.util.ArrayList<>(values);
        for (int i = 0; i < retried.size(); i++) {
            merged.set((int) retried.get(i).index(), r.values().get(i));
        }
        for (Failure<T> fl : r.failures()) { // indexed by position in inputs: moved back to the original index
            kept.add(fl.at(retried.get((int) fl.index()).index()));
        }
        kept.sort(java.util.Comparator.comparingLong(Failure::index));
        return new MapResult<>(merged, List.copyOf(kept), mapper);
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
            "dev\\.parkit\\.((internal|calls|util|progress|display|speedup)\\.|(Par|Pool|Mapper|MapResult)\\b)");

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

    /** Equal when the values and the failures are equal, wherever they were computed. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MapResult<?, ?> r && values.equals(r.values) && failures.equals(r.failures);
    }

    @Override
    public int hashCode() {
        return 31 * values.hashCode() + failures.hashCode();
    }

    @Override
    public String toString() {
        return "MapResult[" + values.size() + " values, " + failures.size() + " failures"
                + (failures.isEmpty() ? "" : ": " + failures.get(0) + (failures.size() > 1 ? ", ..." : "")) + "]";
    }
}
