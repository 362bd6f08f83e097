// The GraphQL API alone (scale it out behind a load balancer; run `worker` beside it).
import 'reflect-metadata';
import { loadConfig } from '@rampart/runtime';
import { serve, stopOnSignals } from '@rampart/server';

serve('api', loadConfig()).then(stopOnSignals, (error: Error) => {
  console.error(`rampart api: ${error.message}`);
  process.exit(1);
});
