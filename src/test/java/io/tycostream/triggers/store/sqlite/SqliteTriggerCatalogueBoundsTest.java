package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.StoreTestDatabase;
import io.tycostream.triggers.store.TriggerCatalogueBoundsContract;

/** The {@link TriggerCatalogueBoundsContract} on SQLite. */
class SqliteTriggerCatalogueBoundsTest extends TriggerCatalogueBoundsContract {

  @Override
  protected StoreTestDatabase newDatabase() {
    return SqliteTestDatabase.create();
  }
}
