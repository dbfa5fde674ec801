package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.BaselineStagingContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link BaselineStagingContract} on SQLite. */
class SqliteBaselineStagingTest extends BaselineStagingContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
