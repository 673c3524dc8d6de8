/**
 * How a call runs over Spark Connect; not an API. The client side slices items and packs the
 * function with parkit-spark's {@code Packager}, runs the slices as one operation
 * ({@link dev.parkit.spark.connect.internal.ConnectRun}), applies the call's rules on the calling
 * thread ({@link dev.parkit.spark.connect.internal.ConnectMap}) and sends code as artifacts
 * ({@link dev.parkit.spark.connect.internal.Artifacts}); the executor side runs slices
 * ({@link dev.parkit.spark.connect.internal.SlicesTask}).
 */
package dev.parkit.spark.connect.internal;
