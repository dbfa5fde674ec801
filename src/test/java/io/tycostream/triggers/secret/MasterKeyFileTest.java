package io.tycostream.triggers.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the master key file: created once, owner-only, read back unchanged. */
class MasterKeyFileTest {

  @TempDir
  Path dir;

  /** Verifies that a missing key file is created 0600 (in a 0700 directory) and then read back, not replaced. */
  @Test
  void createsOwnerOnlyKeyFileOnceAndReadsItBack() throws Exception {
    // GIVEN no key file in a data directory that does not exist yet
    Path file = dir.resolve("data").resolve(MasterKeyFile.DEFAULT_FILE_NAME);

    // WHEN it is read twice
    MasterKey created = MasterKeyFile.readOrCreate(file);
    MasterKey reread = MasterKeyFile.readOrCreate(file);

    // THEN the first read created it, readable by its owner only, and the second read the same key
    assertThat(reread).isEqualTo(created);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(Files.readString(file, StandardCharsets.UTF_8).strip()).isEqualTo(created.toBase64());
  }

  /** Verifies that a key file that does not hold a key is refused naming the file, not its content. */
  @Test
  void refusesInvalidKeyFile() throws Exception {
    Path file = dir.resolve("master.key");
    Files.writeString(file, "not-a-key");

    assertThatThrownBy(() -> MasterKeyFile.readOrCreate(file))
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageNotContaining("not-a-key");
  }
}
