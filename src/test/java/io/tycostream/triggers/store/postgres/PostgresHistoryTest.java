package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.HistoryContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link HistoryContract} on PostgreSQL. */
class PostgresHistoryTest extends HistoryContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
