package org.lsmtree.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;

/** The default file system's storage, counting syncs of write-ahead logs ({@code *.log}) of every store that uses it. */
final class LogSyncCountingStorage extends ForwardingStorage {
    private final AtomicLong logSyncs = new AtomicLong();

    LogSyncCountingStorage() {
        super(NioStorage.onDefaultFileSystem());
    }

    long logSyncs() {
        return logSyncs.get();
    }

    @Override
    protected WritableFile opened(Path file, WritableFile delegate) {
        if (!file.getFileName().toString().endsWith(".log")) {
            return delegate;
        }
        return new ForwardingWritableFile(delegate) {
            @Override
            public void sync() throws IOException {
                logSyncs.incrementAndGet();
                super.sync();
            }
        };
    }
}
