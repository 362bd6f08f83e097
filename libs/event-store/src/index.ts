export * from './sql/sql-client';
export * from './sql/schema';
export * from './sql/sql-event-store';
export * from './projections/projection';
export * from './projections/projection-runner';
export * from './projections/read-side-changes';
export * from './projections/sql-checkpoint-store';
export * from './eventstoredb/esdb-event-store';
