package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.Par;

/** The contracts on a pool of two workers, made for each test and closed after it. */
class PoolContractTest extends MapperContract {
    @Override
    protected Mapper newMapper() {
        return Par.pool(2);
    }
}
