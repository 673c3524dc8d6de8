package dev.parkit.contract;

/**
 * The contracts on a pool of two, each call after its function was learned tiny
 * ({@link Fresh#warmTiny}): today a call of up to 64 items then runs items on the calling thread.
 */
class WarmTinyPoolContractTest extends PoolContractTest {
    @Override
    protected boolean warmTiny() {
        return true;
    }
}
