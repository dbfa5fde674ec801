package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.BatchOutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link BatchOutboxContract} on SQLite. */
class SqliteBatchOutboxTest extends BatchOutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
