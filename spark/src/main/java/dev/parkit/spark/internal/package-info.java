/**
 * How a cluster call works; not an API. A cluster call is a local call ({@code dev.parkit.calls.Calls})
 * whose chunks run elsewhere: its task ({@link dev.parkit.spark.internal.ClusterTask}) packs the
 * function once ({@link dev.parkit.spark.internal.Packager}, {@link dev.parkit.spark.internal.ClassFacts},
 * {@link dev.parkit.spark.internal.SnippetClasses}, sent by {@link dev.parkit.spark.internal.SentPackages})
 * and runs each chunk as a slice, one Spark job of one task ({@link dev.parkit.spark.internal.SliceJobs},
 * which also carries per-item progress from executors' heartbeats), sized by what slices cost
 * ({@link dev.parkit.spark.internal.SliceCosts}), after refusing what cannot travel
 * ({@link dev.parkit.spark.internal.TableItems}); the executor side unpacks and runs a slice through
 * ParKit's local engine ({@link dev.parkit.spark.internal.TaskPackage},
 * {@link dev.parkit.spark.internal.SliceTask}, {@link dev.parkit.spark.internal.SliceRun}, with
 * per-worker state from {@link dev.parkit.spark.internal.ExecutorPools}).
 */
package dev.parkit.spark.internal;
