/** What the Spark Connect measurements compare ParKit with: the bare Spark Connect job. */
package dev.parkit.spark.connect.bench;
