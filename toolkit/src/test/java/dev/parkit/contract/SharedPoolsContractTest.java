package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.Par;

/** The contracts on the shared pools, through {@link Par#shared()}: what Par's statics call. */
class SharedPoolsContractTest extends MapperContract {
    @Override
    protected Mapper newMapper() {
        return Par.shared();
    }
}
