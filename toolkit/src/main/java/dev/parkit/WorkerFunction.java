package dev.parkit;

import java.io.Serializable;

/**
 * A function that also receives its worker's own state, created once per worker by the pool's
 * initializer (the analogue of Python's {@code Pool(initializer=...)}).
 *
 * <p>A worker uses its state from one thread at a time, so a non-thread-safe resource (a
 * {@code MessageDigest}, a parser, a model session) needs no lock. Serializable like
 * {@link ParFunction}.
 *
 * @param <S> the per-worker state type
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface WorkerFunction<S, T, R> extends Serializable {
    /**
     * Computes the result for one item with this worker's state.
     *
     * @param state the worker's state, as its initializer returned it
     * @param x the item
     * @return the result, which may be null
     * @throws Exception any failure; ParKit reports it with the item's index and value
     */
    R apply(S state, T x) throws Exception;
}
