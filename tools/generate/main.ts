// Writes a synthetic tenant as NDJSON (one ARM resource per line), for benchmarks and demos.
//
//   node tools/bin/run-ts.js tools/generate/main.ts --resources 10000 --misconfigured 0.2 --seed 1 --out tmp/tenant.ndjson
import { Command, InvalidArgumentError } from 'commander';
import { writeTenantFile } from './synthetic-tenant';

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const share = (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('generate')
    .description('Write a synthetic, realistic Azure tenant (ARM resource bodies) as NDJSON')
    .option('--resources <n>', 'how many resources', integer, 10_000)
    .option('--misconfigured <share>', 'share of resources with a security misconfiguration (0..1)', share, 0.2)
    .option('--seed <n>', 'seed: the same seed gives the same file', integer, 1)
    .option('--subscriptions <n>', 'how many subscriptions (default: one per 2,500 resources)', integer)
    .requiredOption('--out <file>', 'the NDJSON file to write')
    .parse(process.argv);
  const opts = program.opts<{ resources: number; misconfigured: number; seed: number; subscriptions?: number; out: string }>();
  const started = Date.now();
  const result = await writeTenantFile(
    opts.out,
    { seed: opts.seed, resources: opts.resources, misconfiguredShare: opts.misconfigured, subscriptions: opts.subscriptions },
    (written) => process.stderr.write(`\rgenerated ${written.toLocaleString('en-US')} / ${opts.resources.toLocaleString('en-US')}`),
  );
  process.stderr.write(
    `\rwrote ${result.resources.toLocaleString('en-US')} resources (${result.misconfigured.toLocaleString('en-US')} misconfigured, ` +
      `${(result.bytes / 2 ** 20).toFixed(1)} MiB) to ${opts.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
};

main().catch((error: unknown) => {
  process.stderr.write(`generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
