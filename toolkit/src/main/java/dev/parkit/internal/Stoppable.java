package dev.parkit.internal;

/** What an {@link Engine} sees of a call: something it can stop, that may want a worker. */
interface Stoppable {
    /**
     * Stops the call: no item starts, running ones are interrupted.
     *
     * @return false if it was already over
     */
    boolean stopBy(Gate.Stop why);

    /** @return true while a worker could claim items of the call now */
    boolean wantsWorker();
}
