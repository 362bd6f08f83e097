// Projections (and, as contexts arrive, ingestion, evaluation and automation) without the API.
import 'reflect-metadata';
import { loadConfig } from '@rampart/runtime';
import { serve, stopOnSignals } from '@rampart/server';

serve('worker', loadConfig()).then(stopOnSignals, (error: Error) => {
  console.error(`rampart worker: ${error.message}`);
  process.exit(1);
});
