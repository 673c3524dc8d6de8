// ParKit startup: evaluated once when the "Java (ParKit)" kernel or ./jshell starts.
// The function and stream imports match JShell's DEFAULT startup, so notebooks and ./jshell agree.
import java.util.function.*;
import java.util.stream.*;
import dev.parkit.*;
import dev.parkit.speedup.*;
import static dev.parkit.Par.*;
import static dev.parkit.speedup.Speedup.speedup;
import static dev.parkit.speedup.Speedup.speedupOf;
dev.parkit.Par.warmUp();
