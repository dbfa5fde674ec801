package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.DebugModeContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link DebugModeContract} on SQLite. */
class SqliteDebugModeTest extends DebugModeContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
