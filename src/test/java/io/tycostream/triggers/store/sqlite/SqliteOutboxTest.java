package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.OutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link OutboxContract} on SQLite. */
class SqliteOutboxTest extends OutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
