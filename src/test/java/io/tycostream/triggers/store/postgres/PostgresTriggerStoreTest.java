package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.TriggerStoreContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link TriggerStoreContract} on PostgreSQL. */
class PostgresTriggerStoreTest extends TriggerStoreContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
