package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.ExpiryStoreContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link ExpiryStoreContract} on SQLite. */
class SqliteExpiryStoreTest extends ExpiryStoreContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
