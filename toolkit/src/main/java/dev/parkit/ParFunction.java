package dev.parkit;

import java.io.Serializable;

/**
 * The function ParKit maps: like {@link java.util.function.Function}, but it may throw checked
 * exceptions, so a notebook lambda can call {@code Thread.sleep} or do I/O without a try block.
 *
 * <p>A plain {@code Function} {@code g} is passed as {@code g::apply}. It is {@link Serializable},
 * so a lambda typed into a notebook cell can be shipped to a cluster (see the parkit-spark module);
 * local calls never serialize it.
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ParFunction<T, R> extends Serializable {
    /**
     * Computes the result for one item. Called from a worker thread; it must be safe to call
     * from several threads at once, or use a per-worker state (see {@link Pool}).
     *
     * @param x the item
     * @return the result, which may be null
     * @throws Exception any failure; ParKit reports it with the item's index and value
     */
    R apply(T x) throws Exception;
}
