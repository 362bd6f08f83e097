// `rampart`: the command line for operators and SOC engineers. Every command reads the same
// configuration (environment variables, see `rampart config`) as the API and the worker.
import 'reflect-metadata';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: Error) => {
    process.stderr.write(`rampart: ${error.message}\n`);
    process.exit(1);
  });
