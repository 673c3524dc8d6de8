package dev.parkit.contract;

import dev.parkit.ParFunction;

/** Calls a function: {@link Fresh} defines a new hidden class from these bytes for each call's function. */
final class Forwarder implements ParFunction<Object, Object> {
    private static final long serialVersionUID = 1L;

    private final ParFunction<Object, Object> f;

    Forwarder(ParFunction<Object, Object> f) {
        this.f = f;
    }

    @Override
    public Object apply(Object x) throws Exception {
        return f.apply(x);
    }
}
