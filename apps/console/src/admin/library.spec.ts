import { importPathOf, planSummary, versionChanges } from './library';

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

describe('what changed between two versions of a definition', () => {
  it('names each changed path with its values before and after', () => {
    const v1 = JSON.stringify({ properties: { parameters: { effect: { defaultValue: 'Audit', allowedValues: ['Audit', 'Deny'] } }, metadata: { version: '1.0.0' } } });
    const v2 = JSON.stringify({ properties: { parameters: { effect: { defaultValue: 'Deny', allowedValues: ['Audit', 'Deny'] } }, metadata: { version: '1.1.0', preview: true } } });
    expect(versionChanges(v1, v2)).toEqual([
      { op: 'add', path: '/properties/metadata/preview', before: undefined, after: true },
      { op: 'replace', path: '/properties/metadata/version', before: '1.0.0', after: '1.1.0' },
      { op: 'replace', path: '/properties/parameters/effect/defaultValue', before: 'Audit', after: 'Deny' },
    ]);
    expect(versionChanges(v1, v1)).toEqual([]);
  });
});
