import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@rampart/event-sourcing';
import type { Stores } from '@rampart/runtime';
import { SECTORS, tenantDecider, tenantStreamId, type TenantDirectoryEntry } from '@rampart/tenancy';
import { userInfo } from 'node:os';
import { printTable } from '../table';

export const onboardTenantCommand = (parent: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
  parent
    .command('list')
    .description('list tenants with their status, SOC teams and cloud connections (from the tenant-directory read model)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) =>
      withStores(async (stores) => {
        const { READ_MODEL_SCHEMA } = await import('@rampart/runtime');
        const { rows } = await stores.readModels
          .query<{ doc: TenantDirectoryEntry }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_directory ORDER BY id`)
          .catch((error: { code?: string }) => {
            // 42P01: the read model's table does not exist yet; anything else is a real failure
            if (error.code === '42P01') throw new Error('no tenant directory yet: start the worker (rampart worker or standalone) once');
            throw error;
          });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows.map((r) => r.doc), null, 2)}\n`);
          return;
        }
        const table = [
          ['tenant', 'name', 'sector', 'status', 'SOC teams', 'connections'],
          ...rows.map(({ doc }) => [
            doc.tenantId,
            doc.displayName,
            doc.sector,
            doc.status,
            doc.socTeams.join(',') || '-',
            doc.connections.map((c) => c.connectionId).join(',') || '-',
          ]),
        ];
        printTable(table);
        if (rows.length === 0) process.stdout.write('(no tenants yet — or the worker has not projected them yet)\n');
      }),
    );

  parent
    .command('onboard')
    .description('onboard a new tenant')
    .argument('<tenant-id>', 'lowercase slug, e.g. contoso-bank')
    .requiredOption('--name <display-name>', 'display name')
    .requiredOption('--sector <sector>', `one of ${SECTORS.join(', ')}`)
    .requiredOption('--contact <email>', 'security contact email')
    .action(async (tenantId: string, options: { name: string; sector: string; contact: string }) =>
      withStores(async (stores) => {
        const outcome = await handleCommand(
          stores.eventStore,
          tenantDecider,
          tenantStreamId(tenantId),
          { kind: 'OnboardTenant', tenantId, displayName: options.name, sector: options.sector, contactEmail: options.contact },
          { tenantId, actor: { kind: 'user', id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() },
        );
        if (!outcome.ok) {
          const { code, message } = outcome.rejection;
          throw new Error(`tenant not onboarded: ${code}${message ? ` (${message})` : ''}`);
        }
        process.stdout.write(`onboarded ${tenantId}\n`);
      }),
    );
};
