package org.lsmtree.format;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.WritableFile;

/**
 * Files held in a byte array, for codec tests that run millions of reads: a damaged copy of a
 * log is a new array, not a file on a file system. Storage behaviour itself is tested in
 * lsm-testing against real file systems.
 */
public final class ByteArrayFiles {
    private ByteArrayFiles() {}

    /** A writable file whose bytes {@link Sink#bytes()} returns. */
    public static final class Sink implements WritableFile {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int syncs;

        @Override
        public void append(byte[] source, int offset, int length) {
            out.write(source, offset, length);
        }

        @Override
        public void append(ByteBuf source) {
            byte[] copy = new byte[source.readableBytes()];
            source.getBytes(source.readerIndex(), copy);
            out.write(copy, 0, copy.length);
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public long size() {
            return out.size();
        }

        @Override
        public void close() {}

        public byte[] bytes() {
            return out.toByteArray();
        }

        public int syncs() {
            return syncs;
        }
    }

    /** The first {@code length} bytes of {@code bytes}, read sequentially. */
    public static SequentialFile source(byte[] bytes, int length) {
        return new SequentialFile() {
            private int position;

            @Override
            public int read(byte[] target, int offset, int count) {
                if (count == 0) {
                    return 0;
                }
                if (position >= length) {
                    return -1;
                }
                int n = Math.min(count, length - position);
                System.arraycopy(bytes, position, target, offset, n);
                position += n;
                return n;
            }

            @Override
            public long skip(long count) {
                long n = Math.min(count, length - position);
                position += (int) n;
                return n;
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void close() throws IOException {}
        };
    }

    public static SequentialFile source(byte[] bytes) {
        return source(bytes, bytes.length);
    }
}
