/**
 * ParKit's engine, internal: use {@link dev.parkit.Par} and {@link dev.parkit.Pool}.
 *
 * <p>The pieces: an {@link dev.parkit.internal.Engine} owns threads and worker slots (the place
 * where work runs); a {@link dev.parkit.internal.Call} schedules one map call on it, its
 * {@link dev.parkit.internal.Runner}s claim chunks of the {@link dev.parkit.internal.Source} and run
 * them; a {@link dev.parkit.internal.Delivery} hands results to the calling thread; a
 * {@link dev.parkit.internal.FailurePolicy} decides what a failure cancels; the
 * {@link dev.parkit.internal.TimeoutMonitor} enforces per-item timeouts.
 */
package dev.parkit.internal;
