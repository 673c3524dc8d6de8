/**
 * ParKit's engine: thread pools, per-worker state, chunked scheduling, ordering, failures,
 * timeouts and cancellation. Internal: use {@link dev.parkit.Par} and {@link dev.parkit.Pool}.
 */
package dev.parkit.engine;
