package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.BatchOutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link BatchOutboxContract} on PostgreSQL. */
class PostgresBatchOutboxTest extends BatchOutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
