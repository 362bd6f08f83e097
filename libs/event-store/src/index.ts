export * from './sql/sql-client';
export * from './sql/schema';
export * from './sql/sql-event-store';
export * from './testing';
export * from './contract/event-store.contract';
export * from './contract/fixtures';
