package org.lsmtree.kafka;

import org.apache.kafka.streams.StreamsConfig;

/** Every case of {@link LsmSessionStoreTest} again with the writes held until commit. */
class LsmSessionStoreHeldWritesTest extends LsmSessionStoreTest {
    @Override
    TestStoreContext context() {
        return new TestStoreContext(stateDir.toFile(), StreamsConfig.EXACTLY_ONCE_V2).withTransactionalStateStores();
    }
}
