package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.StoreCommitContract;
import io.tycostream.triggers.store.StoreTestDatabase;

/** The {@link StoreCommitContract} on PostgreSQL. */
class PostgresCommitTest extends StoreCommitContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
