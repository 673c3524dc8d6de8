package dev.parkit.contract;

/**
 * The contracts on the shared pools, each call after its function was learned tiny
 * ({@link Fresh#warmTiny}): today a call of up to 64 items then runs items on the calling thread.
 */
class WarmTinySharedPoolsContractTest extends SharedPoolsContractTest {
    @Override
    protected boolean warmTiny() {
        return true;
    }
}
