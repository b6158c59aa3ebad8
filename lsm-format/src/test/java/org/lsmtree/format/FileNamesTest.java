package org.lsmtree.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;

class FileNamesTest {

    @Test
    void formatsAsLevelDbNamesItsFiles() {
        assertThat(FileNames.logFileName(5)).isEqualTo("000005.log");
        assertThat(FileNames.tableFileName(123)).isEqualTo("000123.ldb");
        assertThat(FileNames.legacyTableFileName(123)).isEqualTo("000123.sst");
        assertThat(FileNames.manifestFileName(2)).isEqualTo("MANIFEST-000002");
        assertThat(FileNames.tempFileName(9)).isEqualTo("000009.dbtmp");
        assertThat(FileNames.logFileName(12345678)).isEqualTo("12345678.log");
        assertThat(FileNames.currentFile(Path.of("db"))).isEqualTo(Path.of("db", "CURRENT"));
        assertThat(FileNames.lockFile(Path.of("db"))).isEqualTo(Path.of("db", "LOCK"));
    }

    @Test
    void parsesEveryKind() {
        assertThat(FileNames.parse("100.log")).contains(new FileNames.Parsed(FileType.LOG, 100));
        assertThat(FileNames.parse("000000.ldb")).contains(new FileNames.Parsed(FileType.TABLE, 0));
        assertThat(FileNames.parse("7.sst")).contains(new FileNames.Parsed(FileType.LEGACY_TABLE, 7));
        assertThat(FileNames.parse("MANIFEST-000012")).contains(new FileNames.Parsed(FileType.MANIFEST, 12));
        assertThat(FileNames.parse("18446744073709551615.dbtmp"))
                .contains(new FileNames.Parsed(FileType.TEMP, -1L)); // 2^64 - 1, unsigned
        assertThat(FileNames.parse("CURRENT")).contains(new FileNames.Parsed(FileType.CURRENT, 0));
        assertThat(FileNames.parse("LOCK")).contains(new FileNames.Parsed(FileType.LOCK, 0));
        assertThat(FileNames.parse("LOG")).contains(new FileNames.Parsed(FileType.INFO_LOG, 0));
        assertThat(FileNames.parse("LOG.old")).contains(new FileNames.Parsed(FileType.OLD_INFO_LOG, 0));
        assertThat(FileNames.parse(Path.of("some", "dir", "000003.log")))
                .contains(new FileNames.Parsed(FileType.LOG, 3));
    }

    @Test
    void rejectsWhatIsNotOurs() {
        for (String name : new String[] {"", "foo", "foo.log", "100", "100.", ".log", "100.log.bak", "100.LOG",
                "MANIFEST", "MANIFEST-", "MANIFEST-3x", "MANIFEST--3", "-1.log", "+1.log", "1 .log",
                "18446744073709551616.log", "CURRENTX", "LOG.older", "1.2.log", "0x10.log"}) {
            assertThat(FileNames.parse(name)).as(name).isEqualTo(Optional.empty());
        }
    }

    @Test
    void formatThenParseIsIdentity() {
        SeededCases.check(1000, random -> formatThenParse(random.anyLong() & Long.MAX_VALUE));
    }

    private static void formatThenParse(long number) {
        assertThat(FileNames.parse(FileNames.logFileName(number))).contains(new FileNames.Parsed(FileType.LOG, number));
        assertThat(FileNames.parse(FileNames.tableFileName(number))).contains(new FileNames.Parsed(FileType.TABLE, number));
        assertThat(FileNames.parse(FileNames.manifestFileName(number)))
                .contains(new FileNames.Parsed(FileType.MANIFEST, number));
        assertThat(FileNames.parse(FileNames.tempFileName(number))).contains(new FileNames.Parsed(FileType.TEMP, number));
    }

    @Test
    void negativeNumbersAreTheCallersMistake() {
        assertThatThrownBy(() -> FileNames.logFileName(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
