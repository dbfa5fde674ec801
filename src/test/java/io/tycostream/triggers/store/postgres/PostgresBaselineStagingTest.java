package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.BaselineStagingContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link BaselineStagingContract} on PostgreSQL. */
class PostgresBaselineStagingTest extends BaselineStagingContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
