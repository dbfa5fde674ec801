package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.AlertOutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link AlertOutboxContract} on SQLite. */
class SqliteAlertOutboxTest extends AlertOutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
