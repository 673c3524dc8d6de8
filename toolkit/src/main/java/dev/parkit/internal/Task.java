package dev.parkit.internal;

/** The per-item function as the engine sees it: the worker's state (or null) and the item. */
@FunctionalInterface
public interface Task {
    /**
     * @param state the worker's state, null for a stateless pool
     * @param item the item
     * @return the result
     * @throws Exception anything the user's function throws
     */
    Object apply(Object state, Object item) throws Exception;

    /**
     * @return the user's function behind this task, by which the engine learns how long its items
     *     take ({@link ItemCosts})
     */
    default Object function() {
        return this;
    }
}
