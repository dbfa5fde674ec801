package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.PerKeyClaimContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link PerKeyClaimContract} on SQLite. */
class SqlitePerKeyClaimTest extends PerKeyClaimContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
