package dev.parkit.speedup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy other processes kept the machine: the CPU time of all processes (Linux
 * {@code /proc/stat}) minus this JVM's own, per second of wall time. Unlike the load average it
 * leaves out the measurement itself (and a notebook's earlier cells). Used by {@link Speedup} and
 * the benchmark module.
 *
 * <pre>{@code
 * OtherLoad before = new OtherLoad();
 * measure();
 * double busy = before.coresSince(); // e.g. 0.02 on an idle machine
 * }</pre>
 */
public final class OtherLoad {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private final long wallNanos = System.nanoTime();
    private final long machineNanos = machineBusyNanos();
    private final long ownNanos = ownCpuNanos();

    /** Takes a snapshot now. */
    public OtherLoad() {
        // the fields are the snapshot
    }

    /** @return the cores other processes kept busy on average since this snapshot; NaN where unknown */
    public double coresSince() {
        OtherLoad now = new OtherLoad();
        if (machineNanos < 0 || now.machineNanos < 0 || ownNanos < 0 || now.ownNanos < 0
                || now.wallNanos <= wallNanos) {
            return Double.NaN;
        }
        long others = (now.machineNanos - machineNanos) - (now.ownNanos - ownNanos);
        return Math.max(0, (double) others / (now.wallNanos - wallNanos));
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long machineBusyNanos() {
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux, or /proc not readable
        }
    }
}
