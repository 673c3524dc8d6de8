/**
 * How a cluster call works; not an API. The driver side slices items and packs the function
 * ({@link dev.parkit.spark.internal.Packager}, {@link dev.parkit.spark.internal.ClassFacts},
 * {@link dev.parkit.spark.internal.SnippetClasses}), runs slices as one Spark job
 * ({@link dev.parkit.spark.internal.RemoteRun}) and applies the call's rules on the calling thread
 * ({@link dev.parkit.spark.internal.ClusterMap}), after refusing what cannot travel
 * ({@link dev.parkit.spark.internal.TableItems}); the executor side unpacks and runs
 * ({@link dev.parkit.spark.internal.TaskPackage}, {@link dev.parkit.spark.internal.SliceTask}).
 */
package dev.parkit.spark.internal;
