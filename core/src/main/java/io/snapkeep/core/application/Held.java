package io.snapkeep.core.application;

/** A lock or claim of a {@link Coordination}, held until closed. */
interface Held extends AutoCloseable {
    @Override
    void close();
}
