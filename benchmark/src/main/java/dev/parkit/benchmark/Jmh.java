package dev.parkit.benchmark;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code ./bench --jmh [JMH options]}: runs the JMH benchmarks of this module ({@link TinyCalls}
 * unless a pattern is given) and prints, after JMH's own table, each benchmark's time as a ratio
 * to {@code parallelStream}'s.
 */
final class Jmh {
    /** The tiny-call target: a warm 5-item pmap costs at most this many times parallelStream's call. */
    static final double TINY_CALL_RATIO = 2.0;

    private Jmh() {}

    static void run(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(TinyCalls.class.getSimpleName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Map<String, Double>> byMode = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            String longLived = r.getParams().getParam("longLived");
            String mode = longLived == null ? "" : Boolean.parseBoolean(longLived) ? "long-lived" : "fresh";
            byMode.computeIfAbsent(mode, k -> new TreeMap<>()).put(label, r.getPrimaryResult().getScore());
        }
        byMode.forEach(Jmh::ratios);
    }

    private static void ratios(String mode, Map<String, Double> micros) {
        Double stream = micros.get("parallelStreamCommonPool");
        Double pmap = micros.get("pmap");
        if (stream == null || pmap == null) {
            return;
        }
        String where = mode.isEmpty() ? "" : ", " + mode;
        System.out.println();
        System.out.println("Per-call time as a ratio to parallelStream (common pool)" + where + ":");
        micros.forEach((name, us) -> System.out.printf("  %-26s %9.2f us  %7.2fx%n", name, us, us / stream));
        System.out.printf("target%s: warm 5-item pmap <= %.1fx parallelStream's per-call time: %.2fx, %s%n", where,
                TINY_CALL_RATIO, pmap / stream, pmap / stream <= TINY_CALL_RATIO ? "met" : "MISSED");
    }
}
