import { eventStoreContract } from '../contract/event-store.contract';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '../testing/databases';
import { SqlEventStore } from './sql-event-store';

const sqlFactory = (open: () => Promise<TestDatabase>) => {
  let db: TestDatabase | undefined;
  afterAll(async () => db?.dispose());
  return {
    async open(options = {}) {
      db ??= await open();
      return SqlEventStore.open(db.sql, { schema: db.schema, ...options });
    },
  };
};

eventStoreContract('PGlite', sqlFactory(() => pgliteTestDatabase('contract')));
eventStoreContract('PostgreSQL', sqlFactory(() => postgresTestDatabase('contract')));
