package org.lsmtree.bench;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON a run writes ({@code --json}): the header lines, the settings, the folded rows, the
 * ratios and every single measurement. The chart is drawn from this file, read back. Rates that
 * were not measured are written as the string "NaN".
 *
 * @param header the lines printed above the table (settings, engines, what each lacks, machine)
 * @param engines the engines in table order (a C++ reference last, when present)
 * @param runs every measurement of every round, for anyone who wants more than the median
 */
record ResultsFile(List<String> header, BenchSettings settings, List<String> benchmarks, List<String> engines,
        int rounds, List<Summary.Row> rows, List<Summary.Ratio> ratios, List<Measurement> runs) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), this);
    }

    static ResultsFile read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), ResultsFile.class);
    }

    static void writeMeasurements(Path file, List<Measurement> measurements) throws IOException {
        MAPPER.writeValue(file.toFile(), measurements);
    }

    static List<Measurement> readMeasurements(Path file) throws IOException {
        return List.of(MAPPER.readValue(file.toFile(), Measurement[].class));
    }
}
