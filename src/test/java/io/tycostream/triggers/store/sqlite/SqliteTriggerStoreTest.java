package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.TriggerStoreContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link TriggerStoreContract} on SQLite. */
class SqliteTriggerStoreTest extends TriggerStoreContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
