package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.AlertOutboxContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link AlertOutboxContract} on PostgreSQL. */
class PostgresAlertOutboxTest extends AlertOutboxContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
