package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.OutboxPostponeContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link OutboxPostponeContract} on PostgreSQL. */
class PostgresOutboxPostponeTest extends OutboxPostponeContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
