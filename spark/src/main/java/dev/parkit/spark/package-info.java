/**
 * ParKit on Spark: the map calls of {@link dev.parkit.Par} on a Spark cluster's executors, for
 * functions typed into notebook cells. Start with {@link dev.parkit.spark.Spark}.
 */
package dev.parkit.spark;
