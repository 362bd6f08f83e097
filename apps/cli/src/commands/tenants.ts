import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@rampart/event-sourcing';
import type { Stores } from '@rampart/platform';
import { SECTORS, tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { userInfo } from 'node:os';

export const onboardTenantCommand = (parent: Command, withStores: <T>(fn: (s: Stores) => Promise<T>) => Promise<T>): void => {
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
