package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.StoreCommitContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link StoreCommitContract} on SQLite. */
class SqliteCommitTest extends StoreCommitContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
