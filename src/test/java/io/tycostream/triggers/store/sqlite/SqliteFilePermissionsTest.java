package io.tycostream.triggers.store.sqlite;

import static io.tycostream.triggers.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreFixture;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that the store's files, which hold webhook secrets, are readable by their owner only. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteFilePermissionsTest {

  @TempDir
  Path dir;

  /** Verifies a new data directory is 0700 and the database and its WAL are 0600, also after writes. */
  @Test
  void dataDirectoryAndFilesAreTheOwnersOnly(Vertx vertx) throws Exception {
    // GIVEN a data directory the store creates
    SqliteStoreOptions options = new SqliteStoreOptions().setDataDirectory(dir.resolve("data"));

    // WHEN the store is opened and a trigger (with its secret) is written
    Store store = await(SqliteStore.open(vertx, options, StoreFixture.CLOCK));
    await(store.createTrigger(StoreFixture.trigger("t1")));

    // THEN the directory is rwx------ and every file of the database rw-------
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
    for (String suffix : new String[] {"", "-wal"}) {
      Path file = options.databaseFile().resolveSibling(options.databaseFile().getFileName() + suffix);
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
          .isEqualTo("rw-------");
    }
    await(store.close());
  }
}
