package dev.parkit.speedup;

import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/**
 * Runs the measurement that {@link Speedup#run()} describes, and checks every run's results.
 * Rounds: each runs every configuration once, in an order rotated from round to round; a timed
 * round during which other processes kept more than {@link #BUSY_CORES} cores busy is run again,
 * at most {@code repetitions} times in all.
 */
final class SpeedupRunner {

    /** Other processes' CPU use, in cores, above which a timed round is run again. */
    static final double BUSY_CORES = 0.2;

    /** A measurement to make, every default resolved: what {@link Speedup#run()} hands over. */
    record Plan(ParFunction<Object, Object> f, List<Object> items, int[] workers, int warmup, int repetitions,
            String label, boolean progress) {}

    private enum Kind { SERIAL, PMAP, THREADS }

    /** One configuration timed in every round, with its times so far. */
    private record Config(Kind kind, int n, List<Double> wallMs, List<Double> cpuMs) {
        Config(Kind kind, int n) {
            this(kind, n, new ArrayList<>(), new ArrayList<>());
        }

        Timing timing() {
            return new Timing(wallMs, cpuMs);
        }
    }

    private final Plan plan;
    private final SerialAndThreads plain;

    private List<Object> reference;
    private ProgressBar bar;

    SpeedupRunner(Plan plan) {
        this.plan = plan;
        this.plain = new SerialAndThreads(plan.f(), plan.items());
    }

    Measurement measure() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Config> configs = new ArrayList<>();
        configs.add(new Config(Kind.SERIAL, 1));
        for (int n : plan.workers()) {
            configs.add(new Config(Kind.PMAP, n));
        }
        for (int n : plan.workers()) {
            if (n >= 2 && n <= cores) {
                configs.add(new Config(Kind.THREADS, n));
            }
        }
        long runs = 1 + (long) (plan.warmup() + plan.repetitions()) * configs.size();
        if (plan.progress()) {
            String title = plan.label().isEmpty() ? "speedup" : "speedup: " + plan.label();
            bar = new ProgressBar(title, runs, Displays.current());
        }
        try {
            reference = plain.serial(new double[2]);
            step();
            int rerun = 0;
            double othersSum = 0;
            boolean othersKnown = false;
            double keptMs = 0;
            int stepped = -plan.warmup() - 1; // the last round whose runs moved the bar
            double[] wallCpu = new double[2];
            for (int r = -plan.warmup(); r < plan.repetitions(); r++) {
                String which = r < 0 ? "warm-up run " + (r + plan.warmup() + 1) + " of " + plan.warmup()
                        : "timed run " + (r + 1) + " of " + plan.repetitions();
                OtherLoad others = new OtherLoad();
                long roundStart = System.nanoTime();
                double[][] times = new double[configs.size()][];
                for (int j = 0; j < configs.size(); j++) {
                    int k = (j + r + plan.warmup()) % configs.size(); // round 0 starts with the serial loop
                    Config c = configs.get(k);
                    System.gc(); // so that no run pays for another's garbage
                    check(c, run(c, wallCpu), which);
                    times[k] = wallCpu.clone();
                    if (r > stepped) {
                        step();
                    }
                }
                stepped = Math.max(stepped, r);
                if (r < 0) {
                    continue;
                }
                double busy = others.coresSince();
                if (busy > BUSY_CORES && rerun < plan.repetitions()) {
                    rerun++;
                    r--;
                    continue;
                }
                double spanMs = (System.nanoTime() - roundStart) / 1e6;
                othersKnown |= !Double.isNaN(busy);
                othersSum += (Double.isNaN(busy) ? 0 : busy) * spanMs;
                keptMs += spanMs;
                for (int k = 0; k < configs.size(); k++) {
                    configs.get(k).wallMs().add(times[k][0]);
                    configs.get(k).cpuMs().add(times[k][1]);
                }
            }
            TreeMap<Integer, Timing> byWorkers = new TreeMap<>();
            TreeMap<Integer, Timing> threads = new TreeMap<>();
            for (Config c : configs) {
                if (c.kind() == Kind.PMAP) {
                    byWorkers.put(c.n(), c.timing());
                } else if (c.kind() == Kind.THREADS) {
                    threads.put(c.n(), c.timing());
                }
            }
            if (bar != null) {
                bar.close();
            }
            double otherLoad = othersKnown && keptMs > 0 ? othersSum / keptMs : Double.NaN;
            return new Measurement(plan.label(), cores, plan.items().size(), plan.warmup(), otherLoad,
                    configs.get(0).timing(), byWorkers, threads, rerun);
        } catch (RuntimeException | Error e) {
            if (bar != null) {
                bar.finish(e instanceof CancellationException
                        ? ProgressState.Status.INTERRUPTED : ProgressState.Status.FAILED, e.getMessage());
            }
            throw e;
        }
    }

    /** Runs {@code c} once; puts its wall time and this JVM's CPU time, ms, into {@code wallCpu}. */
    private List<Object> run(Config c, double[] wallCpu) {
        switch (c.kind()) {
            case SERIAL:
                return plain.serial(wallCpu);
            case THREADS:
                return plain.threads(c.n(), wallCpu);
            default:
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                List<Object> out = Par.pmap(plan.f(), plan.items(), Par.options().workers(c.n()));
                wallCpu[0] = (System.nanoTime() - t0) / 1e6;
                wallCpu[1] = cpuMs(cpu0);
                return out;
        }
    }

    /** This JVM's CPU time since {@code cpu0}, ms; NaN where the JVM does not say. */
    static double cpuMs(long cpu0) {
        long now = processCpuNanos();
        return cpu0 < 0 || now < 0 ? Double.NaN : (now - cpu0) / 1e6;
    }

    /** The CPU time of all of this JVM's threads so far, ns, or -1 where the JVM does not say. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private void step() {
        if (bar != null) {
            bar.step();
            bar.refresh();
        }
    }

    /** Fails unless {@code got} equals the reference results exactly. */
    private void check(Config c, List<Object> got, String which) {
        int size = Math.min(got.size(), reference.size());
        for (int i = 0; i < size; i++) {
            Object want = reference.get(i);
            Object have = got.get(i);
            if (!Objects.deepEquals(want, have)) {
                throw new IllegalStateException(mismatch(c, which) + " at index " + i + " (item "
                        + SerialAndThreads.show(plan.items().get(i)) + "): the serial loop gave "
                        + SerialAndThreads.show(want) + ", this run gave " + SerialAndThreads.show(have)
                        + ". speedup() needs a deterministic function: its result must depend only on its"
                        + " item (not on thread names, random numbers, time or shared state)");
            }
        }
        if (got.size() != reference.size()) {
            throw new IllegalStateException(mismatch(c, which) + ": " + got.size() + " results instead of "
                    + reference.size());
        }
    }

    private static String mismatch(Config c, String which) {
        int n = c.n();
        return switch (c.kind()) {
            case SERIAL -> "the serial loop's results differ between runs (" + which + ")";
            case PMAP -> "results with " + n + " worker" + (n == 1 ? "" : "s") + " differ from the serial loop's ("
                    + which + ")";
            case THREADS -> "results of " + n + " bare threads differ from the serial loop's (" + which + ")";
        };
    }
}
