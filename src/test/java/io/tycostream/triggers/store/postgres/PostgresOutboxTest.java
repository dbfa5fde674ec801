package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.OutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link OutboxContract} on PostgreSQL. */
class PostgresOutboxTest extends OutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
