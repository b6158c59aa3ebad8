package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run in a child JVM by {@link DbProcessCrashTest}: opens the store at {@code args[0]} on the real
 * file system and writes {@link #value(int)} under {@link #key(int)} for i = 0, 1, ..., unsynced,
 * printing {@code ack i} after each write returns. With {@code args[1]} = {@code pause-after-N} it
 * stops after write N, prints {@code idle} and waits to be killed; with {@code endless} it writes
 * until it is killed.
 */
public final class UnsyncedWriterProcess {
    private UnsyncedWriterProcess() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int pauseAfter = args[1].startsWith("pause-after-") ? Integer.parseInt(args[1].substring(12)) : Integer.MAX_VALUE;
        Db db = Db.open(Path.of(args[0]), Options.defaults());
        for (int i = 0; i <= pauseAfter; i++) {
            db.write(new org.lsmtree.wal.WriteBatch().put(key(i), value(i)), WriteOptions.noSync());
            System.out.println("ack " + i);
            System.out.flush();
        }
        System.out.println("idle");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // no close: the parent kills this process with the store open
    }

    static byte[] key(int i) {
        return String.format("key%06d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** 100 to 300 bytes, one write in ten 40 KiB or more (crossing log blocks); filled from i. */
    static byte[] value(int i) {
        byte[] value = new byte[i % 10 == 9 ? 40_000 + i : 100 + i % 200];
        Arrays.fill(value, (byte) (i * 31 + 7));
        value[0] = (byte) i;
        value[value.length - 1] = (byte) (i >> 8);
        return value;
    }
}
