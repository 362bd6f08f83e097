// What both guardrails benchmarks run over: the corpus of definitions, the assignment values for
// parameters without a default, and how busy other processes kept the machine meanwhile.
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CORPUS_DIR = path.join(__dirname, '..', '..', '..', 'libs', 'guardrails', 'corpus', 'azure-policy');

/**
 * Assignment values for parameters that have no default (the definition cannot be assigned without
 * them), chosen to fit the synthetic tenant: its locations, types, tags and names.
 */
export const ASSIGNMENT_VALUES: Record<string, Record<string, unknown>> = {
  'alz/policyDefinitions/DenyAction-DeleteResources.json': { resourceType: 'Microsoft.KeyVault/vaults', resourceName: '*prod*' },
  'built-in/Cosmos DB/Cosmos_Locations_Deny.json': { listOfAllowedLocations: ['westeurope', 'northeurope'] },
  'built-in/General/AllowedLocations_Deny.json': { listOfAllowedLocations: ['westeurope', 'northeurope', 'uksouth', 'francecentral', 'germanywestcentral', 'swedencentral'] },
  'built-in/General/AllowedResourceTypes_Deny.json': {
    listOfResourceTypesAllowed: [
      'Microsoft.Compute/virtualMachines',
      'Microsoft.Network/networkInterfaces',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Sql/servers',
      'Microsoft.Web/sites',
      'Microsoft.Web/serverfarms',
    ],
  },
  'built-in/SQL/SqlServerAuditing_DINE.json': { storageAccountsResourceGroup: 'rg-audit' },
  'built-in/Storage/AccountStorageLogsToWorkspace_DINE.json': {
    logAnalytics: '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-central',
  },
  'built-in/Tags/InheritTag_Add_Modify.json': { tagName: 'app' },
  'built-in/Tags/RequireTag_Deny.json': { tagName: 'app' },
};

/** Definition files under `dir`, sorted; initiatives are left out. */
export const listDefinitions = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      // initiatives reference definitions by id; expanding them is not the engine's job yet
      if (statSync(file).isDirectory()) return name === 'policySetDefinitions' ? [] : listDefinitions(file);
      return name.endsWith('.json') ? [file] : [];
    });

/**
 * Starts watching the CPUs; the returned function tells what share of all of them other processes
 * used since (the machine's busy time minus this process's CPU time). The header's "busy before
 * start" cannot see a neighbour that starts a minute later.
 */
export const watchOtherCpu = () => {
  const machine = () => os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const before = machine();
  const ownBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  return (): number => {
    const after = machine();
    const own = process.cpuUsage(ownBefore);
    const wallMs = Number(process.hrtime.bigint() - wallBefore) / 1e6;
    const total = after.total - before.total;
    if (total <= 0 || wallMs <= 0) return 0;
    const busy = 1 - (after.idle - before.idle) / total;
    const ours = (own.user + own.system) / 1000 / (wallMs * os.cpus().length);
    return Math.max(0, busy - ours);
  };
};
export const percent = (share: number) => `${Math.round(share * 100)}%`;
