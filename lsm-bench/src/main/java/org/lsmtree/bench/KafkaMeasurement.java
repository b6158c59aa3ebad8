package org.lsmtree.bench;

/**
 * What one forked Kafka Streams run measured ({@link KafkaRun}, {@link KafkaBrokerRun}), read back
 * by {@link KafkaBench}.
 *
 * @param store {@code rocksdb} or {@code lsmtree}
 * @param mode {@code driver} (TopologyTestDriver, a commit per record) or {@code broker} (a real broker)
 * @param guarantee the processing guarantee ({@code at_least_once} or {@code exactly_once_v2})
 * @param commitIntervalMs {@code commit.interval.ms} on a broker; 0 in the driver (it commits after every record)
 * @param round which round of the run this is, from 1
 * @param recordsPerSecond input records processed per second: over the piping loop in the driver;
 *     from the first store update to the last on a broker
 * @param stateBytes bytes of regular files under the state directory after the last record
 * @param heapBytes heap used after a full GC, stores still open
 * @param rssBytes resident set ({@code VmRSS}) at the same moment; {@code -1} off Linux
 * @param peakRssBytes the highest resident set of the run ({@code VmHWM}); {@code -1} off Linux
 * @param entries entries in the store at the end
 * @param valueSum the store's values added up (must equal what the input implies)
 * @param checksum CRC32C over every key and value of the store in iteration order
 */
record KafkaMeasurement(String store, String workload, String mode, String guarantee, long commitIntervalMs,
        int round, int records, double seconds, double recordsPerSecond, long stateBytes, long heapBytes,
        long rssBytes, long peakRssBytes, long entries, long valueSum, long expectedSum, long checksum) {

    /** The process's footprint at one moment: state directory bytes, heap after GC, resident set now and at peak. */
    record Footprint(long stateBytes, long heapBytes, long rssBytes, long peakRssBytes) {}

    static KafkaMeasurement of(String store, KafkaWorkload workload, String mode, String guarantee,
            long commitIntervalMs, int round, int records, double seconds, Footprint footprint,
            KafkaWorkload.Contents contents, long expectedSum) {
        return new KafkaMeasurement(store, workload.label, mode, guarantee, commitIntervalMs, round, records, seconds,
                records / seconds, footprint.stateBytes(), footprint.heapBytes(), footprint.rssBytes(),
                footprint.peakRssBytes(), contents.entries(), contents.valueSum(), expectedSum, contents.checksum());
    }

    /** What identifies the runs whose figures a table row takes the median of. */
    String group() {
        return workload + "|" + mode + "|" + guarantee + "|" + store;
    }
}
