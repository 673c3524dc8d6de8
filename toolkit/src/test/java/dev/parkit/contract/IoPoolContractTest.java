package dev.parkit.contract;

import dev.parkit.Mapper;
import dev.parkit.Par;

/** The contracts on an IO pool of two: virtual threads on Java 21+, platform threads before. */
class IoPoolContractTest extends MapperContract {
    @Override
    protected Mapper newMapper() {
        return Par.ioPool(2);
    }
}
