// npm run schema:write    regenerates libs/graphql-api/schema.graphql from the resolvers
// npm run schema:release  also records it as the released contract (schema.released.graphql),
//                         against which later changes are checked for breaking changes
import 'reflect-metadata';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, printSdl } from '@rampart/graphql-api';

const dir = join(__dirname, '..', '..', 'libs', 'graphql-api');

buildSchema().then(
  (schema) => {
    writeFileSync(join(dir, 'schema.graphql'), printSdl(schema));
    process.stdout.write('wrote libs/graphql-api/schema.graphql\n');
    if (process.argv.includes('--release')) {
      copyFileSync(join(dir, 'schema.graphql'), join(dir, 'schema.released.graphql'));
      process.stdout.write('recorded it as libs/graphql-api/schema.released.graphql\n');
    }
  },
  (error: Error) => {
    process.stderr.write(`schema: ${error.message}\n`);
    process.exit(1);
  },
);
