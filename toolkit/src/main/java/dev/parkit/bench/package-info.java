/**
 * Speedup versus workers: measure a function at several worker counts ({@link
 * dev.parkit.bench.Speedup}), keep the times as plain records ({@link dev.parkit.bench.Measurement},
 * {@link dev.parkit.bench.Timing}), and view them as a Tablesaw table, an XChart chart and an
 * Amdahl's-law fit ({@link dev.parkit.bench.SpeedupResult}). Start from
 * {@code Par.speedup(f, xs)}.
 */
package dev.parkit.bench;
