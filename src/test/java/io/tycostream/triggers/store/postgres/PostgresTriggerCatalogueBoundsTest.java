package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.store.StoreTestDatabase;
import io.tycostream.triggers.store.TriggerCatalogueBoundsContract;

/** The {@link TriggerCatalogueBoundsContract} on PostgreSQL. */
class PostgresTriggerCatalogueBoundsTest extends TriggerCatalogueBoundsContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return PostgresTestDatabase.create();
  }
}
