package org.lsmtree.bench;

/**
 * What one forked Kafka Streams run measured ({@link KafkaRun}), read back by {@link KafkaBench}.
 *
 * @param store {@code rocksdb} or {@code lsmtree}
 * @param recordsPerSecond input records piped through the topology per second of the piping loop
 * @param stateBytes bytes of regular files under the state directory after the last record
 * @param heapBytes heap used after a full GC, stores still open
 * @param rssBytes resident set ({@code VmRSS}) at the same moment; {@code -1} off Linux
 * @param peakRssBytes the highest resident set of the run ({@code VmHWM}); {@code -1} off Linux
 * @param entries entries in the store at the end
 * @param valueSum the store's values added up (must equal what the input implies)
 * @param checksum CRC32C over every key and value of the store in iteration order
 */
record KafkaMeasurement(String store, String workload, int records, double seconds, double recordsPerSecond,
        long stateBytes, long heapBytes, long rssBytes, long peakRssBytes, long entries, long valueSum,
        long expectedSum, long checksum) {}
