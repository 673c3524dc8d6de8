package dev.parkit;

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

    @Override
    public String toString() {
        return "MapResult[" + values.size() + " values, " + failures.size() + " failures"
                + (failures.isEmpty() ? "" : ": " + failures.get(0) + (failures.size() > 1 ? ", ..." : "")) + "]";
    }
}
