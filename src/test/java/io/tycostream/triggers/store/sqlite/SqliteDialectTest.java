package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteDialectTest {

  private final SqliteDialect dialect = new SqliteDialect();

  private StoreErrorCode translate(SQLiteErrorCode resultCode) {
    return dialect.translate(new RuntimeException("wrapped", new SQLiteException("boom", resultCode))).storeCode();
  }

  /** Verifies that SQLite result codes, also when wrapped, map to the store's error codes. */
  @Test
  void translatesResultCodes() {
    // GIVEN driver failures with various result codes
    // WHEN translated THEN unique violations are DUPLICATE, lock and I/O problems UNAVAILABLE
    assertThat(translate(SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)).isEqualTo(StoreErrorCode.DUPLICATE);
    assertThat(translate(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)).isEqualTo(StoreErrorCode.DUPLICATE);
    assertThat(translate(SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY)).isEqualTo(StoreErrorCode.CONSTRAINT);
    assertThat(translate(SQLiteErrorCode.SQLITE_CONSTRAINT_CHECK)).isEqualTo(StoreErrorCode.CONSTRAINT);
    assertThat(translate(SQLiteErrorCode.SQLITE_BUSY)).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(translate(SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT)).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(translate(SQLiteErrorCode.SQLITE_LOCKED)).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(translate(SQLiteErrorCode.SQLITE_IOERR_WRITE)).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(translate(SQLiteErrorCode.SQLITE_FULL)).isEqualTo(StoreErrorCode.UNAVAILABLE);
    assertThat(translate(SQLiteErrorCode.SQLITE_CORRUPT)).isEqualTo(StoreErrorCode.INTERNAL);
    assertThat(StoreErrorCode.UNAVAILABLE.retryable()).isTrue();
  }

  /** Verifies that an existing StoreException passes through unchanged. */
  @Test
  void keepsStoreExceptions() {
    // GIVEN a store exception
    StoreException conflict = new StoreException(StoreErrorCode.CONFLICT, "stale");

    // WHEN translated THEN it is the same instance
    assertThat(dialect.translate(conflict)).isSameAs(conflict);
  }
}
