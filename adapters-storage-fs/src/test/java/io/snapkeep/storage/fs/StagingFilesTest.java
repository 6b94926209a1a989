package io.snapkeep.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Staging names carry their key's stem, fit in one file name, and read back as what they were made for. */
class StagingFilesTest {
    private static final Path STAGING = Path.of("staging");
    private static final String FITS = "k".repeat(ArchiveKeys.MAX_FILE_NAME_BYTES - ".".length() - 32 - StagingFiles.SUFFIX.length());

    private static final List<String> KEYS = List.of("snap", "a.", "snap.zip", "x" + "\u00e9".repeat(20), FITS, FITS + "k",
            "L" + "x".repeat(255), "L" + "x".repeat(254) + "y", "\u00e9".repeat(120),
            "x".repeat(98) + "\ud83d\ude00".repeat(30), "x".repeat(180) + "\u00e9".repeat(20) + "\ud83d\ude00".repeat(20));

    @Test
    void every_name_fits_and_reads_back_as_its_keys_stem() {
        Set<String> stems = new HashSet<>();
        for (String key : KEYS) {
            assertThat(ArchiveKeys.problemWith(key)).as(key).isNull();
            Path name = StagingFiles.claimNew(STAGING, key, this);
            StagingFiles.release(name);
            String fileName = name.getFileName().toString();

            assertThat(fileName.getBytes(StandardCharsets.UTF_8).length).as(key).isLessThanOrEqualTo(ArchiveKeys.MAX_FILE_NAME_BYTES);
            assertThat(StagingFiles.parse(fileName)).as(key).isEqualTo(new StagingFiles.Name(StagingFiles.stem(key)));
            assertThat(fileName).as(key).doesNotStartWith(".").endsWith(StagingFiles.SUFFIX);
            assertThat(ArchiveKeys.keyOf(fileName, ArchiveKeys.ARCHIVE)).as("never an archive's name").isNull();
            stems.add(StagingFiles.stem(key));
        }
        assertThat(stems).as("one stem per key").hasSameSizeAs(KEYS);
        assertThat(StagingFiles.stem(FITS)).isEqualTo(FITS);
        assertThat(StagingFiles.stem(FITS + "k")).startsWith("k".repeat(StagingFiles.HEAD_BYTES) + StagingFiles.DIGEST_MARK);
        assertThat(StagingFiles.stem("x".repeat(98) + "\ud83d\ude00".repeat(30))).as("never half a character")
                .startsWith("x".repeat(98) + StagingFiles.DIGEST_MARK);
    }

    @Test
    void two_writes_of_one_key_get_two_names() {
        Path first = StagingFiles.claimNew(STAGING, "snap", this);
        Path second = StagingFiles.claimNew(STAGING, "snap", this);
        StagingFiles.release(first);
        StagingFiles.release(second);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void names_of_the_previous_releases_carry_no_key_and_other_names_are_not_staging_names() {
        assertThat(StagingFiles.parse(StagingFiles.PREVIOUS_PREFIX + "0b7e-uuid" + StagingFiles.SUFFIX))
                .isEqualTo(new StagingFiles.Name(null));
        String random = "0123456789abcdef".repeat(2);
        for (String name : List.of("notes.txt", "snap.part", "snap." + random + ".zip", "snap." + random.substring(1) + ".part",
                "snap." + random.toUpperCase() + ".part", "." + random + ".part", ".hidden." + random + ".part",
                "a/b." + random + ".part", "a..b." + random + ".part", "..".concat("0".repeat(64)) + "." + random + ".part",
                "x.." + "0".repeat(65) + "." + random + ".part", FITS + "k." + random + ".part",
                "k".repeat(101) + ".." + "0".repeat(64) + "." + random + ".part")) {
            assertThat(StagingFiles.parse(name)).as(name).isNull();
        }
    }
}
