import { importPathOf, planSummary } from './library';

describe('the files an import sends', () => {
  it('names a picked folder\'s files by their path inside it', () => {
    expect(importPathOf({ name: 'Deny-Sql-minTLS.json', webkitRelativePath: 'alz/policyDefinitions/Deny-Sql-minTLS.json' })).toBe('policyDefinitions/Deny-Sql-minTLS.json');
    expect(importPathOf({ name: 'root.jsonc', webkitRelativePath: 'Definitions/policyAssignments/root.jsonc' })).toBe('policyAssignments/root.jsonc');
  });

  it('names a single picked file by its name', () => {
    expect(importPathOf({ name: 'storage.json', webkitRelativePath: '' })).toBe('storage.json');
  });

  it('leaves out what the CLI leaves out: other files, hidden folders, node_modules', () => {
    expect(importPathOf({ name: 'README.md', webkitRelativePath: 'alz/README.md' })).toBeUndefined();
    expect(importPathOf({ name: 'x.json', webkitRelativePath: 'alz/.git/x.json' })).toBeUndefined();
    expect(importPathOf({ name: 'p.json', webkitRelativePath: 'alz/node_modules/pkg/p.json' })).toBeUndefined();
  });

  it('sums a plan up', () => {
    expect(planSummary({ add: 12, change: 0, unchanged: 0, refused: 1, skipped: 0 })).toBe('12 to add, 0 to change, 0 unchanged, 1 refused, 0 skipped');
  });
});
