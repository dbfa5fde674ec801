package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.PerKeyClaimContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link PerKeyClaimContract} on PostgreSQL. */
class PostgresPerKeyClaimTest extends PerKeyClaimContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
