/**
 * How a call runs over Spark Connect; not an API. The call is an ordinary ParKit call through the
 * toolkit's seam where work leaves the JVM: each chunk is one Spark Connect operation
 * ({@link dev.parkit.spark.connect.internal.ConnectTask}) whose one task runs the slice on an
 * executor ({@link dev.parkit.spark.connect.internal.SliceFunction}, through parkit-spark's
 * {@code SliceRun}); code reaches the server as artifacts
 * ({@link dev.parkit.spark.connect.internal.Artifacts}).
 */
package dev.parkit.spark.connect.internal;
