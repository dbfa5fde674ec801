package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.ExpiryStoreContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link ExpiryStoreContract} on PostgreSQL. */
class PostgresExpiryStoreTest extends ExpiryStoreContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
