package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.KeyGateContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link KeyGateContract} on PostgreSQL. */
class PostgresKeyGateTest extends KeyGateContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
