// ParKit on Spark: evaluated after startup.jsh by the "Java (ParKit + Spark)" kernel.
import dev.parkit.spark.*;
import static dev.parkit.spark.Spark.*;
