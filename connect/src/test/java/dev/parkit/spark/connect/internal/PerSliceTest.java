package dev.parkit.spark.connect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many items go into a slice when the caller sets no chunk size. */
class PerSliceTest {
    @Test
    void shouldMakeFourSlicesPerCoreForAFunctionNotSeenBefore() {
        assertEquals(1, ConnectMap.perSlice(8, 2, ItemCosts.UNKNOWN));   // 8 slices of 1
        assertEquals(13, ConnectMap.perSlice(100, 2, ItemCosts.UNKNOWN)); // 8 slices
    }

    @Test
    void shouldMakeOneSliceOfTinyItemsOnceTheirCostIsKnown() {
        assertEquals(8, ConnectMap.perSlice(8, 2, 1_000));               // 8 us of work: one task
        assertEquals(1000, ConnectMap.perSlice(1000, 2, 10_000));        // 10 ms of work: one task
    }

    @Test
    void shouldAimAtATenthOfASecondPerSliceUpToFourSlicesPerCore() {
        assertEquals(10, ConnectMap.perSlice(40, 2, 10_000_000));        // 400 ms: 4 slices of 100 ms
        assertEquals(5, ConnectMap.perSlice(40, 2, 1_000_000_000));      // 40 s: capped at 8 slices
    }
}
