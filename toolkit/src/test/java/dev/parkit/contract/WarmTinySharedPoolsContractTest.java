package dev.parkit.contract;

/**
 * The contracts on the shared pools, each call after its function was learned tiny
 * ({@link Fresh#warmTiny}): where ParKit takes its fastest paths (tiny items in blocks; before
 * issue 18, items on the calling thread).
 */
class WarmTinySharedPoolsContractTest extends SharedPoolsContractTest {
    @Override
    protected boolean warmTiny() {
        return true;
    }
}
