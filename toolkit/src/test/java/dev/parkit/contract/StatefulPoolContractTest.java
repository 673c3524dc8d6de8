package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.Par;

/** The contracts on a pool of two workers with a state each, called with functions that ignore it. */
class StatefulPoolContractTest extends MapperContract {
    @Override
    protected Mapper newMapper() {
        return Par.pool(2, StringBuilder::new);
    }
}
