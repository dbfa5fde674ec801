package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.KeyGateContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link KeyGateContract} on SQLite. */
class SqliteKeyGateTest extends KeyGateContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
