package dev.parkit.internal;

import java.util.concurrent.Callable;

/**
 * One worker's place in an engine: a permit to run items, and the worker's state when the
 * engine has an initializer.
 *
 * <p>A slot is held by one runner at a time ({@link Engine#acquire}), so its state is used by one
 * thread at a time and needs no lock. A slot whose runner is stuck in an item that ignores
 * interrupts is <em>retired</em>: the engine replaces it, and the stuck runner closes the
 * state itself when its item ends, so a state is never closed while in use.
 */
final class Slot {
    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();
    /** Orders workers in progress displays. */
    final int id = IDS.incrementAndGet();
    private final Callable<?> initializer;
    private Object state;
    private boolean created;
    // Guarded by the engine's monitor.
    boolean held;
    boolean retired;
    boolean closeOnRelease;

    Slot(Callable<?> initializer) {
        this.initializer = initializer;
    }

    /**
     * The worker's state, created on first use. Called only by the runner holding the slot.
     *
     * @return the state, or null when the engine has no initializer
     * @throws Exception what the initializer threw; the next call tries again
     */
    Object state() throws Exception {
        if (initializer == null) {
            return null;
        }
        if (!created) {
            state = initializer.call();
            created = true;
        }
        return state;
    }

    /** @return true once the initializer has created this slot's state */
    boolean created() {
        return created;
    }

    /**
     * Closes the states of slots no runner holds, each even when another one's close threw.
     *
     * @throws IllegalStateException naming the pool, with the first failure as cause and the
     *     others suppressed
     */
    static void closeAll(java.util.List<Slot> idle, String pool) {
        IllegalStateException failure = null;
        for (Slot s : idle) {
            try {
                s.closeState();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a worker state of pool " + pool + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes the state if it is {@link AutoCloseable}; only when no runner holds the slot. */
    void closeState() throws Exception {
        if (created && state instanceof AutoCloseable c) {
            created = false;
            state = null;
            c.close();
        }
    }
}
