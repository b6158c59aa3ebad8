package org.lsmtree.leveldb;

import java.util.EnumSet;
import java.util.Set;
import org.iq80.leveldb.DBFactory;

/** The contract run against our adapter, which has none of the gaps. */
class LsmDbContractTest extends DbContractTest {
    @Override
    DBFactory factory() {
        return LsmDBFactory.factory;
    }

    @Override
    Set<Gap> lacks() {
        return EnumSet.noneOf(Gap.class);
    }
}
