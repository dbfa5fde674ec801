package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.OutboxPostponeContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link OutboxPostponeContract} on SQLite. */
class SqliteOutboxPostponeTest extends OutboxPostponeContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
