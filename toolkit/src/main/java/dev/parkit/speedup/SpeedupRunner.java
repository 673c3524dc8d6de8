package dev.parkit.speedup;

import dev.parkit.Par;
import dev.parkit.ParFunction;
import dev.parkit.display.Displays;
import dev.parkit.internal.Text;
import dev.parkit.progress.ProgressBar;
import dev.parkit.progress.ProgressState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/** Runs the measurement that {@link Speedup#run()} describes, and checks every run's results. */
final class SpeedupRunner {

    /** A measurement to make, every default resolved: what {@link Speedup#run()} hands over. */
    record Plan(ParFunction<Object, Object> f, List<Object> items, int[] workers, int warmup, int repetitions,
            String label, boolean progress) {}

    private final Plan plan;

    private List<Object> reference;
    private ProgressBar bar;

    SpeedupRunner(Plan plan) {
        this.plan = plan;
    }

    Measurement measure() {
        int cores = Runtime.getRuntime().availableProcessors();
        long runs = 1 + (long) (plan.warmup() + plan.repetitions()) * (1 + plan.workers().length);
        if (plan.progress()) {
            String title = plan.label().isEmpty() ? "speedup" : "speedup: " + plan.label();
            bar = new ProgressBar(title, runs, Displays.current());
        }
        try {
            reference = serial();
            step();
            for (int i = 0; i < plan.warmup(); i++) {
                check(0, serial(), "warm-up run " + (i + 1) + " of " + plan.warmup());
                step();
            }
            for (int n : plan.workers()) {
                for (int i = 0; i < plan.warmup(); i++) {
                    check(n, parallel(n), "warm-up run " + (i + 1) + " of " + plan.warmup());
                    step();
                }
            }
            OtherLoad others = new OtherLoad();
            List<Double> serialMs = new ArrayList<>();
            List<List<Double>> parallelMs = new ArrayList<>();
            for (int k = 0; k < plan.workers().length; k++) {
                parallelMs.add(new ArrayList<>());
            }
            for (int rep = 0; rep < plan.repetitions(); rep++) {
                String which = "timed run " + (rep + 1) + " of " + plan.repetitions();
                long t0 = System.nanoTime();
                List<Object> got = serial();
                serialMs.add((System.nanoTime() - t0) / 1e6);
                check(0, got, which);
                step();
                for (int k = 0; k < plan.workers().length; k++) {
                    t0 = System.nanoTime();
                    got = parallel(plan.workers()[k]);
                    parallelMs.get(k).add((System.nanoTime() - t0) / 1e6);
                    check(plan.workers()[k], got, which);
                    step();
                }
            }
            TreeMap<Integer, Timing> byWorkers = new TreeMap<>();
            for (int k = 0; k < plan.workers().length; k++) {
                byWorkers.put(plan.workers()[k], new Timing(parallelMs.get(k)));
            }
            if (bar != null) {
                bar.close();
            }
            return new Measurement(plan.label(), cores, plan.items().size(), plan.warmup(), others.coresSince(),
                    new Timing(serialMs), byWorkers);
        } catch (RuntimeException | Error e) {
            if (bar != null) {
                bar.finish(e instanceof CancellationException
                        ? ProgressState.Status.INTERRUPTED : ProgressState.Status.FAILED, e.getMessage());
            }
            throw e;
        }
    }

    private void step() {
        if (bar != null) {
            bar.step();
            bar.refresh();
        }
    }

    /** The plain serial loop: no ParKit, on this thread. */
    private List<Object> serial() {
        List<Object> out = new ArrayList<>(plan.items().size());
        Thread me = Thread.currentThread();
        for (int i = 0; i < plan.items().size(); i++) {
            if (me.isInterrupted()) {
                throw new CancellationException("speedup interrupted in the serial loop at item " + i);
            }
            Object x = plan.items().get(i);
            try {
                out.add(plan.f().apply(x));
            } catch (InterruptedException e) {
                me.interrupt();
                CancellationException c = new CancellationException(
                        "speedup interrupted in the serial loop at item " + i);
                c.initCause(e);
                throw c;
            } catch (Exception e) {
                throw new IllegalStateException("f failed on item " + i + " (" + show(x)
                        + ") in the serial loop: " + e, e);
            }
        }
        return out;
    }

    private List<Object> parallel(int n) {
        return Par.pmap(plan.f(), plan.items(), Par.options().workers(n));
    }

    /** Fails unless {@code got} equals the reference results exactly; plan.workers() 0 = serial loop. */
    private void check(int n, List<Object> got, String which) {
        int size = Math.min(got.size(), reference.size());
        for (int i = 0; i < size; i++) {
            Object want = reference.get(i);
            Object have = got.get(i);
            if (!Objects.deepEquals(want, have)) {
                throw new IllegalStateException(mismatch(n, which) + " at index " + i + " (item "
                        + show(plan.items().get(i)) + "): the serial loop gave " + show(want) + ", this run gave "
                        + show(have) + ". speedup() needs a deterministic function: its result must"
                        + " depend only on its item (not on thread names, random numbers, time or"
                        + " shared state)");
            }
        }
        if (got.size() != reference.size()) {
            throw new IllegalStateException(mismatch(n, which) + ": " + got.size() + " results instead of "
                    + reference.size());
        }
    }

    private static String mismatch(int n, String which) {
        return n == 0
                ? "the serial loop's results differ between runs (" + which + ")"
                : "results with " + n + " worker" + (n == 1 ? "" : "s") + " differ from the serial loop's ("
                        + which + ")";
    }

    static String show(Object x) {
        return Text.preview(x);
    }
}
