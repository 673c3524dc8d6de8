package dev.parkit.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parkit.ParFunction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The executor's cache of unpacked packages. */
class TaskPackageTest {

    @Test
    void shouldBoundTheCacheByBytesNotByCount() throws Exception {
        long budget = 5L << 20; // room for two packages of 2 MB, not three
        TaskPackage[] pkgs = new TaskPackage[3];
        for (int i = 0; i < pkgs.length; i++) {
            int[] values = new int[500_000]; // 2 MB: a captured value travels in the package
            Arrays.fill(values, i);
            ParFunction<Integer, Integer> f = x -> values[x];
            pkgs[i] = Packager.pack(f, null);
            assertTrue(pkgs[i].bytes() > 2_000_000, "package of " + pkgs[i].bytes() + " bytes");
            assertEquals(i, ((ParFunction<Integer, Integer>) pkgs[i].unpack(budget).function()).apply(7));
        }
        assertTrue(TaskPackage.counters().get("cachedBytes") <= budget, TaskPackage.counters().toString());
        long unpacked = TaskPackage.counters().get("unpacked");
        pkgs[2].unpack(budget);
        pkgs[1].unpack(budget);
        assertEquals(unpacked, TaskPackage.counters().get("unpacked"), "the two newest stay cached");
        pkgs[0].unpack(budget);
        assertEquals(unpacked + 1, TaskPackage.counters().get("unpacked"), "the oldest was dropped, so unpacked again");
    }

    @Test
    void shouldKeepThePackageInUseEvenWhenItAloneExceedsTheBudget() {
        int[] values = new int[500_000];
        ParFunction<Integer, Integer> f = x -> values[x] + 1;
        TaskPackage pkg = Packager.pack(f, null);
        pkg.unpack(1);
        long unpacked = TaskPackage.counters().get("unpacked");
        pkg.unpack(1);
        assertEquals(unpacked, TaskPackage.counters().get("unpacked"));
    }
}
