// ParKit over Spark Connect: evaluated after startup.jsh by the "Java (ParKit + Spark Connect)" kernel.
import dev.parkit.spark.connect.*;
import static dev.parkit.spark.connect.SparkConnect.*;
