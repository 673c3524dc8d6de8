package dev.parkit.progress;

import java.util.List;
import java.util.Locale;

/** The numbers both renderers show, formatted once, so text and HTML always agree. */
final class Formats {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Formats() {}

    /**
     * Whole percent done, rounded down and clamped to 0..100, so 99.6% is not shown as finished
     * and overshooting counts never show more than 100%. A known total of 0 counts as 100%.
     * Only meaningful when the total is known.
     */
    static int percent(ProgressState s) {
        if (s.total() <= 0 || s.done() >= s.total()) {
            return 100;
        }
        // done < total here, so done * 100 only overflows for totals beyond 9e16: use double then.
        return s.total() < Long.MAX_VALUE / 100
                ? (int) (s.done() * 100 / s.total())
                : (int) Math.floor(100.0 * s.done() / s.total());
    }

    /** How many of {@code width} cells are filled, rounded down, by the same rules as percent. */
    static int filledCells(ProgressState s, int width) {
        if (s.total() <= 0 || s.done() >= s.total()) {
            return width;
        }
        return (int) Math.floor((double) s.done() * width / s.total());
    }

    /** {@code 37/100} for a known total, {@code 37 it} otherwise. */
    static String count(ProgressState s) {
        return s.isTotalKnown() ? s.done() + "/" + s.total() : s.done() + " it";
    }

    /**
     * Items per second like tqdm: {@code 12.3 it/s}, or {@code 2.50 s/it} when slower than one
     * item per second; {@code ? it/s} before the first item or the first nanosecond.
     */
    static String rate(ProgressState s) {
        if (s.done() == 0 || s.elapsedNanos() == 0) {
            return "? it/s";
        }
        double perSecond = s.done() * (double) NANOS_PER_SECOND / s.elapsedNanos();
        return perSecond >= 1
                ? threeDigits(perSecond) + " it/s"
                : threeDigits(1 / perSecond) + " s/it";
    }

    /** Whole seconds elapsed, rounded down, as {@code m:ss} or {@code h:mm:ss}. */
    static String elapsed(ProgressState s) {
        return duration(s.elapsedNanos() / NANOS_PER_SECOND);
    }

    /**
     * Time left at the average rate so far, rounded down like tqdm: {@code 0:00} once done reaches
     * the total, {@code ?} while the rate is unknown. Only meaningful when the total is known.
     */
    static String eta(ProgressState s) {
        long remaining = s.total() - s.done();
        if (remaining <= 0) {
            return duration(0);
        }
        if (s.done() == 0 || s.elapsedNanos() == 0) {
            return "?";
        }
        double nanos = (double) remaining * s.elapsedNanos() / s.done();
        return duration((long) (nanos / NANOS_PER_SECOND));
    }

    /** {@code 0:05}, {@code 12:34}, {@code 1:02:03}. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** About three significant digits: {@code 1.23}, {@code 12.3}, {@code 123}, {@code 1234}. */
    static String threeDigits(double x) {
        if (x < 9.995) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        if (x < 99.95) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return String.format(Locale.ROOT, "%.0f", x);
    }

    /** The lower-case status word: {@code running}, {@code done}, {@code failed}, ... */
    static String statusWord(ProgressState.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** True when the label should be shown at all. */
    static boolean hasLabel(ProgressState s) {
        return s.label() != null && !s.label().isEmpty();
    }

    /** Most workers listed one by one; more are summed up. */
    static final int MAX_WORKERS_SHOWN = 8;

    /**
     * {@code 2/2 busy, done 19+18, 1 failed}: what the workers are doing, on one short line; the
     * items per worker only when {@code perWorker} (a terminal line must stay under 80 columns).
     */
    static String workers(ProgressState.Workers w, boolean perWorker) {
        StringBuilder b = new StringBuilder().append(w.busy()).append('/').append(w.of()).append(" busy");
        List<Long> done = w.donePerWorker();
        if (perWorker && !done.isEmpty()) {
            b.append(", done ");
            for (int i = 0; i < done.size() && i < MAX_WORKERS_SHOWN; i++) {
                b.append(i > 0 ? "+" : "").append(done.get(i));
            }
            if (done.size() > MAX_WORKERS_SHOWN) {
                long rest = done.subList(MAX_WORKERS_SHOWN, done.size()).stream().mapToLong(Long::longValue).sum();
                b.append("+").append(rest).append(" (").append(done.size() - MAX_WORKERS_SHOWN).append(" more)");
            }
        }
        if (w.failed() > 0) {
            b.append(", ").append(w.failed()).append(" failed");
        }
        return b.toString();
    }
}
