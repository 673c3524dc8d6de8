/**
 * Speedup versus workers: measure a function at several worker counts ({@link
 * dev.parkit.speedup.Speedup}), keep the times as plain records ({@link dev.parkit.speedup.Measurement},
 * {@link dev.parkit.speedup.Timing}), and view them as a Tablesaw table, an XChart chart and an
 * Amdahl's-law fit ({@link dev.parkit.speedup.SpeedupResult}). Start from
 * {@code Par.speedup(f, xs)}.
 */
package dev.parkit.speedup;
