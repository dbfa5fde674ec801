package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.DebugModeContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link DebugModeContract} on PostgreSQL. */
class PostgresDebugModeTest extends DebugModeContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
