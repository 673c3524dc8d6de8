/**
 * ParKit over Spark Connect: the map calls of {@link dev.parkit.Par} on a remote Spark cluster,
 * from a kernel with only Spark Connect's thin client. Start with
 * {@link dev.parkit.spark.connect.SparkConnect}.
 */
package dev.parkit.spark.connect;
