package dev.parkit.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the rest of the machine was while a workload ran: the CPU time all processes used
 * (Linux {@code /proc/stat}) minus this JVM's own, per second of wall time. On a shared machine
 * that is the number to read before trusting a speedup.
 *
 * @param wallNanos when the snapshot was taken
 * @param machineBusyNanos CPU time used by every process since boot, or -1 where unknown
 * @param ownCpuNanos CPU time used by this JVM, or -1 where unknown
 */
record Machine(long wallNanos, long machineBusyNanos, long ownCpuNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    static Machine now() {
        long own = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            own = os.getProcessCpuTime();
        }
        return new Machine(System.nanoTime(), machineBusy(), own);
    }

    /**
     * @param before an earlier snapshot
     * @return the cores that other processes kept busy on average since {@code before}, or NaN
     *     where unknown
     */
    double othersSince(Machine before) {
        if (machineBusyNanos < 0 || before.machineBusyNanos < 0 || ownCpuNanos < 0 || before.ownCpuNanos < 0) {
            return Double.NaN;
        }
        long others = (machineBusyNanos - before.machineBusyNanos) - (ownCpuNanos - before.ownCpuNanos);
        return Math.max(0, (double) others / (wallNanos - before.wallNanos));
    }

    private static long machineBusy() {
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
