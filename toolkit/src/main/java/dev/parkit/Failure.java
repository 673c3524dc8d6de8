package dev.parkit;

import dev.parkit.internal.Text;
import java.util.Objects;

/**
 * One item that failed: its position in the input, the input itself and what was thrown.
 *
 * @param index the item's 0-based position in the input
 * @param input the item
 * @param error what the function (or the source, or the timeout) threw
 * @param <T> the input type
 */
public record Failure<T>(long index, T input, Throwable error) {
    /**
     * Checks the error is present.
     *
     * @throws NullPointerException if {@code error} is null
     */
    public Failure {
        Objects.requireNonNull(error, "error must not be null");
    }

    @Override
    public String toString() {
        return "item " + index + " (" + Text.preview(input) + "): " + Text.describe(error);
    }
}
