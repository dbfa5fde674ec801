package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.HistoryContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link HistoryContract} on SQLite. */
class SqliteHistoryTest extends HistoryContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
