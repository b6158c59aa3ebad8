package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.junit.jupiter.api.Test;

class LsmDslStoreSuppliersTest {
    private final LsmDslStoreSuppliers suppliers = new LsmDslStoreSuppliers();

    @Test
    void plainAndTimestampedFormatsGetOurStoresOfThatFormat() {
        assertThat(suppliers.keyValueStore(new DslKeyValueParams("kv", DslStoreFormat.PLAIN)).get())
                .isInstanceOf(LsmKeyValueStore.class).isNotInstanceOf(TimestampedBytesStore.class);
        assertThat(suppliers.keyValueStore(new DslKeyValueParams("kv", DslStoreFormat.TIMESTAMPED)).get())
                .isInstanceOf(LsmKeyValueStore.class).isInstanceOf(TimestampedBytesStore.class);
        assertThat(suppliers.windowStore(new DslWindowParams("w", Duration.ofMinutes(1), Duration.ofSeconds(10),
                true, EmitStrategy.onWindowUpdate(), false, DslStoreFormat.TIMESTAMPED)).get())
                .isInstanceOf(LsmWindowStore.class).isInstanceOf(TimestampedBytesStore.class);
        assertThat(suppliers.sessionStore(new DslSessionParams("s", Duration.ofMinutes(1),
                EmitStrategy.onWindowUpdate())).get()).isInstanceOf(LsmSessionStore.class);
    }

    @Test
    void emitOnWindowCloseAndHeadersStayOnRocksDb() {
        assertThat(suppliers.windowStore(new DslWindowParams("w", Duration.ofMinutes(1), Duration.ofSeconds(10),
                false, EmitStrategy.onWindowClose(), false, DslStoreFormat.TIMESTAMPED)).get())
                .isNotInstanceOf(LsmWindowStore.class);
        assertThat(suppliers.keyValueStore(new DslKeyValueParams("kv", DslStoreFormat.HEADERS)).get())
                .isNotInstanceOf(LsmKeyValueStore.class);
    }

    @Test
    void theWriteBufferConfigSetsTheMemtableSizeOfEveryStore() {
        suppliers.configure(Map.of(LsmDslStoreSuppliers.WRITE_BUFFER_BYTES_CONFIG, "65536"));
        assertThat(((LsmKeyValueBytesStoreSupplier) suppliers.keyValueStore(
                new DslKeyValueParams("kv", DslStoreFormat.TIMESTAMPED))).options().writeBufferSize()).isEqualTo(65536);
        assertThat(((LsmSessionBytesStoreSupplier) suppliers.sessionStore(new DslSessionParams("s",
                Duration.ofMinutes(1), EmitStrategy.onWindowUpdate()))).options().writeBufferSize()).isEqualTo(65536);
    }

    @Test
    void aBadWriteBufferConfigIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> suppliers.configure(Map.of(LsmDslStoreSuppliers.WRITE_BUFFER_BYTES_CONFIG, "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(LsmDslStoreSuppliers.WRITE_BUFFER_BYTES_CONFIG);
        assertThatThrownBy(() -> suppliers.configure(Map.of(LsmDslStoreSuppliers.WRITE_BUFFER_BYTES_CONFIG, 12)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("under 1 KiB");
    }
}
