// Opens the event store and the read-model database the configuration names. With PGlite both
// are one embedded database in the data folder, guarded by a lock file: PGlite is single-process,
// and two processes writing one folder would corrupt it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EventStore } from '@rampart/event-sourcing';
import {
  createPgClient,
  createPgliteClient,
  EventStoreDbEventStore,
  SqlEventStore,
  type SqlClient,
} from '@rampart/event-store';
import { redactUrl, type StoreConfig } from './config';
import { instrumentEventStore } from './tracing';

export interface Stores {
  readonly eventStore: EventStore;
  /** Where read models and projection checkpoints live (PostgreSQL or PGlite). */
  readonly readModels: SqlClient;
  /** For logs and /health: which store, where (without secrets). */
  readonly description: string;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the data folder ${dataDir} is in use by another Rampart process (pid ${pid}); stop it first, or point RAMPART_DATA_DIR elsewhere`,
    );
    this.name = 'DataDirInUseError';
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the data folder for this process; returns the release function. */
export const lockDataDir = (dataDir: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'rampart.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      rmSync(lockFile, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not lock ${dataDir}`);
};

export interface OpenStoreOptions {
  /** PGlite only: a fresh cluster to start a new data folder from (tests; see createPgliteClient). */
  readonly pgliteImage?: Blob;
}

/** The stores, with the event store instrumented (commands counted, and traced when tracing is on). */
export const openStores = async (config: StoreConfig, options: OpenStoreOptions = {}): Promise<Stores> => {
  const stores = await openStoresOf(config, options);
  return { ...stores, eventStore: instrumentEventStore(stores.eventStore) };
};

const openStoresOf = async (config: StoreConfig, options: OpenStoreOptions): Promise<Stores> => {
  switch (config.kind) {
    case 'pglite': {
      const dataDir = resolve(config.dataDir);
      const release = lockDataDir(dataDir);
      try {
        const sql = await createPgliteClient(join(dataDir, 'pgdata'), { image: options.pgliteImage });
        const eventStore = await SqlEventStore.open(sql);
        return {
          eventStore,
          readModels: sql,
          description: `pglite (${config.dataDir})`,
          async close() {
            await eventStore.close();
            await sql.close();
            release();
          },
        };
      } catch (error) {
        release();
        throw error;
      }
    }
    case 'postgres': {
      const sql = await createPgClient(config.databaseUrl);
      try {
        const eventStore = await SqlEventStore.open(sql);
        return {
          eventStore,
          readModels: sql,
          description: `postgres (${redactUrl(config.databaseUrl)})`,
          async close() {
            await eventStore.close();
            await sql.close();
          },
        };
      } catch (error) {
        await sql.close();
        throw error;
      }
    }
    case 'eventstoredb': {
      const eventStore = await EventStoreDbEventStore.open(config.connectionString);
      const sql = await createPgClient(config.databaseUrl).catch(async (error) => {
        await eventStore.close();
        throw error;
      });
      return {
        eventStore,
        readModels: sql,
        description: `eventstoredb (${redactUrl(config.connectionString)}), read models in postgres (${redactUrl(config.databaseUrl)})`,
        async close() {
          await eventStore.close();
          await sql.close();
        },
      };
    }
  }
};
